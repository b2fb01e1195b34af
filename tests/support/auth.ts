import { inject } from 'vitest';
import { idTokenFor as signIn } from '#local/seed/sign-in.ts';

const tokens = new Map<string, Promise<string>>();

/**
 * The ID token of a user of the local cloud (a seeded one by default password), from
 * cognito-local through USER_PASSWORD_AUTH. Cached per test file: tokens last an hour.
 */
export function idTokenFor(email: string, password: string = inject('password')): Promise<string> {
  const key = `${email}\n${password}`;
  let token = tokens.get(key);
  if (token === undefined) {
    token = signIn(inject('cognitoEndpoint'), inject('clientId'), email, password, inject('region'));
    tokens.set(key, token);
    token.catch(() => tokens.delete(key));
  }
  return token;
}

const LOCAL_SEEDED_USERS = { alice: 'alice@example.com', bob: 'bob@example.com', admin: 'admin@example.com' };
type Role = keyof typeof LOCAL_SEEDED_USERS;
const userFor = (role: Role): string => inject('roleUsers')?.[role] ?? LOCAL_SEEDED_USERS[role];

/**
 * Seeded users by role, so tests read `users.admin` rather than an address. Against a stack
 * (stack-setup.ts), the users the run made for these roles.
 */
export const seededUsers: Readonly<Record<Role, string>> = {
  get alice() {
    return userFor('alice');
  },
  get bob() {
    return userFor('bob');
  },
  get admin() {
    return userFor('admin');
  },
};
