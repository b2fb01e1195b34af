import { describe, expect, it } from 'vitest';
import type { LocalCloud } from '../cloud/local-cloud.ts';
import { banner } from './banner.ts';

// What the banner reads of a running cloud; the rest of LocalCloud plays no part in it.
const cloud = {
  apiUrl: 'http://127.0.0.1:3000',
  controlUrl: 'http://127.0.0.1:8730',
  dynamoDbEndpoint: 'http://127.0.0.1:8700',
  cognitoEndpoint: 'http://127.0.0.1:9700',
  sqsEndpoint: 'http://127.0.0.1:8710',
  snsEndpoint: 'http://127.0.0.1:8720',
  sfnEndpoint: 'http://127.0.0.1:8740',
  userPoolId: 'us-east-1_Local',
  clientId: 'client123',
  timeScale: 1,
  users: [{ email: 'alice@example.com', groups: [] }],
  password: 'Passw0rd!Local',
  products: [],
  tables: [],
  queues: [],
  messaging: { topics: [] },
  stepFunctions: { stateMachines: [] },
  eventSources: { functionLogicalIds: [] },
};
const strip = (text: string) => text.replace(/\u001b\[\d+m/g, '');
const webLine = (text: string) => strip(text).split('\n').find((line) => line.startsWith('  Web '));

describe('the banner of npm start', () => {
  it('has a Web line with the web app\'s URL', () => {
    expect(webLine(banner({ ...cloud, webUrl: 'http://127.0.0.1:8750' } as unknown as LocalCloud))).toBe('  Web        http://127.0.0.1:8750');
  });

  it('says on the Web line why the web app is not served', () => {
    expect(webLine(banner({ ...cloud, webUnavailable: 'the build failed: boom' } as unknown as LocalCloud))).toBe('  Web        not served: the build failed: boom');
  });
});
