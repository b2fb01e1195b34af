import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { InitiateAuthRequest, InitiateAuthResponse, RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from 'aws-sdk/clients/cognitoidentityserviceprovider.js';
import type { CognitoError as CognitoErrorType } from 'cognito-local/lib/errors.js';
import type { Services } from 'cognito-local/lib/services/index.js';
import type { Context } from 'cognito-local/lib/services/context.js';
import {
  isPasswordClaimValid,
  isValidClientEphemeral,
  parseSrpTimestamp,
  passwordVerifier,
  poolNameOf,
  type ServerEphemeral,
  serverEphemeral,
  serverSessionKey,
} from './srp-math.ts';

/**
 * USER_SRP_AUTH for cognito-local, which supports only USER_PASSWORD_AUTH. It runs inside the
 * cognito-local process (cognito-local-main.ts) as a wrapper of two of its targets: InitiateAuth
 * with USER_SRP_AUTH answers the PASSWORD_VERIFIER challenge as Cognito does, and
 * RespondToAuthChallenge with PASSWORD_VERIFIER checks the client's proof. Once the proof
 * holds, the tokens come from cognito-local's own USER_PASSWORD_AUTH with the password it
 * stores, so what follows a correct password (NEW_PASSWORD_REQUIRED, MFA, UNCONFIRMED, the
 * tokens and their claims) is exactly what cognito-local does for it. Every other request goes
 * to cognito-local untouched.
 */

type Target<Request, Response> = (ctx: Context, request: Request) => Promise<Response>;
type TargetFactory<Request, Response> = (services: Services) => Target<Request, Response>;
interface CognitoLocalTargets {
  InitiateAuth: TargetFactory<InitiateAuthRequest, InitiateAuthResponse>;
  RespondToAuthChallenge: TargetFactory<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>;
}
type ErrorClass = new (message?: string) => CognitoErrorType;

const require = createRequire(import.meta.url);
// CommonJS modules of cognito-local: the same instances its router uses.
const { Targets } = require('cognito-local/lib/targets/targets.js') as { Targets: CognitoLocalTargets };
const errors = require('cognito-local/lib/errors.js') as {
  NotAuthorizedError: ErrorClass;
  InvalidParameterError: ErrorClass;
  UserNotFoundError: ErrorClass;
};

/** Cognito's message for a wrong password, an unknown user (with PreventUserExistenceErrors) and a forged proof. */
const INCORRECT = 'Incorrect username or password.';
/** How far a TIMESTAMP may be from the server's clock (clients sign their own clock's time). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/**
 * How long a SECRET_BLOCK can be answered: Cognito's default AuthSessionValidity, 3 minutes
 * (cognito-local does not keep an app client's own setting).
 */
const SESSION_VALIDITY_MS = 3 * 60_000;

interface PendingChallenge {
  clientId: string;
  userPoolId: string;
  /** USER_ID_FOR_SRP: the user's username (an email or phone alias resolves to it). */
  userId: string;
  /** Undefined for a user that does not exist: the proof then fails like a wrong password. */
  password: string | undefined;
  A: bigint;
  ephemeral: ServerEphemeral;
  verifier: bigint;
  expiresAt: number;
}

/** Answers USER_SRP_AUTH and PASSWORD_VERIFIER in cognito-local; call before cognito-local starts. */
export function installSrpAuth(): void {
  const pending = new Map<string, PendingChallenge>();
  // Salts are per user and stable, as Cognito stores one with each verifier; one key per process.
  const saltKey = randomBytes(32);
  const saltOf = (userPoolId: string, userId: string) => createHmac('sha256', saltKey).update(`${userPoolId}/${userId}`).digest('hex').slice(0, 32);

  const initiateAuth = Targets.InitiateAuth;
  const respondToAuthChallenge = Targets.RespondToAuthChallenge;

  Targets.InitiateAuth = (services) => {
    const original = initiateAuth(services);
    return async (ctx, request) => {
      if (request.AuthFlow !== 'USER_SRP_AUTH') return original(ctx, request);
      const appClient = await services.cognito.getAppClient(ctx, request.ClientId);
      if (appClient === null) throw new errors.NotAuthorizedError();
      const flows = appClient.ExplicitAuthFlows ?? [];
      // An app client without ExplicitAuthFlows allows SRP (Cognito's default set includes it).
      if (flows.length > 0 && !flows.includes('ALLOW_USER_SRP_AUTH')) {
        throw new errors.InvalidParameterError('USER_SRP_AUTH flow not enabled for this client');
      }
      const username = request.AuthParameters?.USERNAME;
      const srpA = request.AuthParameters?.SRP_A;
      if (username === undefined) throw new errors.InvalidParameterError('Missing required parameter USERNAME');
      if (srpA === undefined) throw new errors.InvalidParameterError('Missing required parameter SRP_A');
      const A = parseHex(srpA);
      if (A === undefined || !isValidClientEphemeral(A)) throw new errors.InvalidParameterError('SRP_A is not a valid SRP value');

      const userPool = await services.cognito.getUserPoolForClientId(ctx, request.ClientId);
      const user = await userPool.getUserByUsername(ctx, username);
      if (user === null && appClient.PreventUserExistenceErrors !== 'ENABLED') throw new errors.UserNotFoundError('User does not exist.');
      if (user !== null && !user.Enabled) throw new errors.NotAuthorizedError('User is disabled.');

      const userPoolId = userPool.options.Id;
      const userId = user?.Username ?? username;
      const salt = saltOf(userPoolId, userId);
      // An unknown user gets a challenge all the same (a verifier of a random password), so the
      // answer does not tell whether the user exists: the proof fails later like a wrong password.
      const verifier = passwordVerifier(poolNameOf(userPoolId), userId, user?.Password ?? randomBytes(32).toString('hex'), salt);
      const ephemeral = serverEphemeral(verifier);
      const secretBlock = randomBytes(96).toString('base64');
      pending.set(secretBlock, {
        clientId: request.ClientId,
        userPoolId,
        userId,
        password: user?.Password,
        A,
        ephemeral,
        verifier,
        expiresAt: Date.now() + SESSION_VALIDITY_MS,
      });
      forgetExpired(pending);
      return {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: {
          SALT: salt,
          SECRET_BLOCK: secretBlock,
          SRP_B: ephemeral.B.toString(16),
          USERNAME: userId,
          USER_ID_FOR_SRP: userId,
        },
      };
    };
  };

  Targets.RespondToAuthChallenge = (services) => {
    const original = respondToAuthChallenge(services);
    const passwordAuth = initiateAuth(services);
    return async (ctx, request) => {
      if (request.ChallengeName !== 'PASSWORD_VERIFIER') return original(ctx, request);
      const responses = request.ChallengeResponses ?? {};
      const required = (name: string): string => {
        const value = responses[name];
        if (value === undefined) throw new errors.InvalidParameterError(`Missing required parameter ${name}`);
        return value;
      };
      const username = required('USERNAME');
      const secretBlock = required('PASSWORD_CLAIM_SECRET_BLOCK');
      const signature = required('PASSWORD_CLAIM_SIGNATURE');
      const timestamp = required('TIMESTAMP');
      const signedAt = parseSrpTimestamp(timestamp);
      if (signedAt === undefined) throw new errors.InvalidParameterError('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');

      const challenge = pending.get(secretBlock);
      // One answer per challenge: a wrong password needs a new InitiateAuth, as in Cognito.
      pending.delete(secretBlock);
      if (challenge === undefined || challenge.clientId !== request.ClientId || challenge.expiresAt < Date.now()) {
        throw new errors.NotAuthorizedError('Invalid session for the user, session is expired.');
      }
      if (username !== challenge.userId) throw new errors.NotAuthorizedError(INCORRECT);
      const key = serverSessionKey(challenge.A, challenge.ephemeral, challenge.verifier);
      const proven = isPasswordClaimValid(key, {
        poolName: poolNameOf(challenge.userPoolId),
        userId: challenge.userId,
        secretBlock,
        timestamp,
        signatureBase64: signature,
      });
      if (!proven || challenge.password === undefined || Math.abs(signedAt.getTime() - Date.now()) > MAX_CLOCK_SKEW_MS) {
        throw new errors.NotAuthorizedError(INCORRECT);
      }
      const response = await passwordAuth(ctx, {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: request.ClientId,
        AuthParameters: { USERNAME: challenge.userId, PASSWORD: challenge.password },
        ClientMetadata: request.ClientMetadata,
      });
      return withTokenLifetime(response);
    };
  };
}

/**
 * Cognito's AuthenticationResult also says how long the access token lives (ExpiresIn, seconds)
 * and its type; cognito-local's omits both, so they are read from the token it minted.
 */
function withTokenLifetime(response: InitiateAuthResponse): RespondToAuthChallengeResponse {
  const result = response.AuthenticationResult;
  if (result?.AccessToken === undefined) return response;
  const claims = JSON.parse(Buffer.from(result.AccessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number; iat?: number };
  const expiresIn = claims.exp !== undefined && claims.iat !== undefined ? claims.exp - claims.iat : undefined;
  return { ...response, AuthenticationResult: { ...result, ExpiresIn: result.ExpiresIn ?? expiresIn, TokenType: result.TokenType ?? 'Bearer' } };
}

function parseHex(hex: string): bigint | undefined {
  return /^[0-9a-f]+$/i.test(hex) ? BigInt(`0x${hex}`) : undefined;
}

function forgetExpired(pending: Map<string, PendingChallenge>): void {
  const now = Date.now();
  for (const [secretBlock, challenge] of pending) if (challenge.expiresAt < now) pending.delete(secretBlock);
}
