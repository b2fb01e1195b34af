import { randomUUID } from 'node:crypto';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { inject } from 'vitest';
import { seedUsers } from '#local/seed/seed-users.ts';
import { idTokenFor } from './auth.ts';
import { targetCredentials } from './target.ts';

let client: CognitoIdentityProviderClient | undefined;
const cognito = () =>
  (client ??= new CognitoIdentityProviderClient({
    endpoint: inject('cognitoEndpoint'),
    region: inject('region'),
    ...targetCredentials(),
  }));

export interface TestUser {
  email: string;
  token: string;
  /** The user's Cognito `sub` (their customer id). */
  sub: string;
}

const subOf = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string }).sub;

/**
 * A brand-new customer (or admin) in the local user pool, so a test can reason about "this
 * user's data" without seeing what other tests did.
 */
export async function createUser(groups: string[] = []): Promise<TestUser> {
  // Against a stack, the run's prefix: its teardown deletes every user so named.
  const email = `${inject('testUserPrefix') ?? 'test-'}${randomUUID()}@example.com`;
  await seedUsers(
    cognito(),
    { userPoolId: inject('userPoolId'), passwordPolicy: {}, groups },
    { password: inject('password'), users: [{ email, groups }] },
  );
  const token = await idTokenFor(email);
  return { email, token, sub: subOf(token) };
}

/** A seeded user's token and sub. */
export async function seededUser(email: string): Promise<TestUser> {
  const token = await idTokenFor(email);
  return { email, token, sub: subOf(token) };
}
