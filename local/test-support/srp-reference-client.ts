import { createRequire } from 'node:module';

/**
 * amazon-cognito-identity-js, AWS's own SRP client for Cognito, as the independent reference
 * in tests of the local USER_SRP_AUTH and of web/src/auth/srp.ts. Its internals have no type
 * declarations, so the parts the tests use are typed here.
 */
export interface ReferenceBigInteger {
  toString(radix: number): string;
}

export interface ReferenceAuthenticationHelper {
  /** a: the client's secret ephemeral. */
  getSmallAValue(): ReferenceBigInteger;
  getLargeAValue(callback: (error: unknown, A: ReferenceBigInteger) => void): void;
  getPasswordAuthenticationKey(
    userId: string,
    password: string,
    B: ReferenceBigInteger,
    salt: ReferenceBigInteger,
    callback: (error: unknown, key: Uint8Array) => void,
  ): void;
}

const require = createRequire(import.meta.url);
const AuthenticationHelper = (require('amazon-cognito-identity-js/lib/AuthenticationHelper.js') as { default: new (poolName: string) => ReferenceAuthenticationHelper }).default;
const BigInteger = (require('amazon-cognito-identity-js/lib/BigInteger.js') as { default: new (hex: string, radix: number) => ReferenceBigInteger }).default;

export function referenceHelper(poolName: string): ReferenceAuthenticationHelper {
  return new AuthenticationHelper(poolName);
}

export function referenceBigInteger(hex: string): ReferenceBigInteger {
  return new BigInteger(hex, 16);
}

export function referenceLargeA(helper: ReferenceAuthenticationHelper): Promise<string> {
  return new Promise((resolve, reject) => helper.getLargeAValue((error, A) => (error ? reject(error as Error) : resolve(A.toString(16)))));
}

/** The 16-byte key the reference client derives from the server's B and salt (hex). */
export function referenceSessionKey(helper: ReferenceAuthenticationHelper, userId: string, password: string, B: string, salt: string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    helper.getPasswordAuthenticationKey(userId, password, referenceBigInteger(B), referenceBigInteger(salt), (error, key) =>
      error ? reject(error as Error) : resolve(Buffer.from(key)),
    ),
  );
}

/**
 * Signs in with USER_SRP_AUTH through the reference client's CognitoUser, against `endpoint`.
 * Resolves with the ID token, rejects with Cognito's error (`code`, `message`).
 */
export function referenceSrpSignIn(endpoint: string, userPoolId: string, clientId: string, username: string, password: string): Promise<string> {
  const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js') as typeof import('amazon-cognito-identity-js');
  const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint });
  const user = new CognitoUser({ Username: username, Pool: pool });
  user.setAuthenticationFlowType('USER_SRP_AUTH');
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve(session.getIdToken().getJwtToken()),
      onFailure: (error: unknown) => reject(error as Error),
      newPasswordRequired: () => reject(new Error('NEW_PASSWORD_REQUIRED')),
    }),
  );
}

/** A reference client whose secret ephemeral is `aHex` rather than random: for fixed test vectors. */
export function referenceHelperWithSecret(poolName: string, aHex: string): ReferenceAuthenticationHelper {
  const helper = new AuthenticationHelper(poolName) as ReferenceAuthenticationHelper & { smallAValue: ReferenceBigInteger; largeAValue: ReferenceBigInteger | undefined };
  helper.smallAValue = referenceBigInteger(aHex);
  helper.largeAValue = undefined;
  return helper;
}
