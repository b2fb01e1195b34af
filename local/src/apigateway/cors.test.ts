import { describe, expect, it } from 'vitest';
import { readCors } from './from-template.ts';
import { preflightReply } from './cors.ts';

describe('readCors', () => {
  it('strips the single quotes SAM Cors values carry', () => {
    expect(readCors({ AllowOrigin: "'*'", AllowMethods: "'GET,POST'", MaxAge: "'600'", AllowCredentials: true })).toEqual({
      allowOrigin: '*',
      allowMethods: 'GET,POST',
      allowHeaders: undefined,
      maxAge: '600',
      allowCredentials: true,
    });
  });

  it('reads a bare string as the allowed origin', () => {
    expect(readCors("'https://shop.example'")?.allowOrigin).toBe('https://shop.example');
  });
});

describe('preflightReply', () => {
  const cors = { allowOrigin: '*', allowMethods: undefined, allowHeaders: 'Authorization', maxAge: '600', allowCredentials: false };

  it('answers with the configured headers and the methods of the path when none are configured', () => {
    expect(preflightReply(cors, ['POST', 'GET'])).toEqual({
      statusCode: 200,
      headers: {
        'Content-Type': ['application/json'],
        'Access-Control-Allow-Origin': ['*'],
        'Access-Control-Allow-Methods': ['GET,OPTIONS,POST'],
        'Access-Control-Allow-Headers': ['Authorization'],
        'Access-Control-Max-Age': ['600'],
      },
      body: Buffer.alloc(0),
    });
  });

  it('lists every method for ANY and honours configured methods', () => {
    expect(preflightReply(cors, ['ANY']).headers['Access-Control-Allow-Methods']).toEqual(['DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT']);
    expect(preflightReply({ ...cors, allowMethods: 'GET' }, ['POST']).headers['Access-Control-Allow-Methods']).toEqual(['GET']);
  });
});
