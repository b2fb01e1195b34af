import type { CorsConfig } from './from-template.ts';
import type { HttpReply } from './http-reply.ts';

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/**
 * The answer of the OPTIONS mock integration SAM adds to every path when the API has `Cors`:
 * static headers from the Cors settings, whatever the request's Origin. Without
 * `AllowMethods`, SAM lists the methods the path declares (all of them for ANY) plus OPTIONS.
 */
export function preflightReply(cors: CorsConfig, methodsAtPath: string[]): HttpReply {
  const methods = methodsAtPath.includes('ANY') ? ALL_METHODS : [...new Set([...methodsAtPath, 'OPTIONS'])].sort();
  const headers: Record<string, string[]> = {
    'Content-Type': ['application/json'],
    'Access-Control-Allow-Origin': [cors.allowOrigin],
    'Access-Control-Allow-Methods': [cors.allowMethods ?? methods.join(',')],
  };
  if (cors.allowHeaders !== undefined) headers['Access-Control-Allow-Headers'] = [cors.allowHeaders];
  if (cors.maxAge !== undefined) headers['Access-Control-Max-Age'] = [cors.maxAge];
  if (cors.allowCredentials) headers['Access-Control-Allow-Credentials'] = ['true'];
  return { statusCode: 200, headers, body: Buffer.alloc(0) };
}
