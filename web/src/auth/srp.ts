/**
 * Cognito sign-in with SRP (USER_SRP_AUTH): the password never leaves the browser, only a proof
 * that the client knows it. Cognito's SRP-6a: the 3072-bit group of RFC 5054 with g = 2 and
 * SHA-256, numbers hashed as their shortest two's-complement hex, x = H(salt | H(poolName |
 * userId | ":" | password)), and a proof that is an HMAC over `poolName | userId | SECRET_BLOCK |
 * TIMESTAMP` keyed with 16 bytes of HKDF ("Caldera Derived Key") from S and u — the protocol of
 * AWS's own clients (amazon-cognito-identity-js), checked against it in srp.test.ts.
 *
 * WebCrypto and BigInt only, so it runs in the browser and in Node alike.
 */

export interface SrpConfig {
  /** Cognito's JSON API: `https://cognito-idp.<region>.amazonaws.com/`, or the local Cognito. */
  endpoint: string;
  userPoolId: string;
  clientId: string;
}

export interface SrpTokens {
  IdToken: string;
  AccessToken: string;
  RefreshToken: string;
  /** Seconds the access token lives. */
  ExpiresIn: number;
}

/** An error Cognito returned: `name` is its type (`NotAuthorizedException`), `message` its message. */
export class CognitoError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;
const INFO = new TextEncoder().encode('Caldera Derived Key\u0001') as Bytes;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Signs in: InitiateAuth (USER_SRP_AUTH) with A, then RespondToAuthChallenge (PASSWORD_VERIFIER)
 * with the proof. Rejects with a CognitoError (`NotAuthorizedException` for a wrong password),
 * or an Error naming a challenge this client does not answer (NEW_PASSWORD_REQUIRED, MFA).
 */
export async function srpAuthenticate(config: SrpConfig, username: string, password: string): Promise<SrpTokens> {
  const a = randomExponent();
  const A = modPow(g, a, N);
  const initiated = await callCognito(config.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_SRP_AUTH',
    ClientId: config.clientId,
    AuthParameters: { USERNAME: username, SRP_A: A.toString(16) },
  });
  if (initiated.ChallengeName !== 'PASSWORD_VERIFIER' || initiated.ChallengeParameters === undefined) {
    throw new Error(`Cognito answered USER_SRP_AUTH with ${initiated.ChallengeName ?? 'no challenge'}, not PASSWORD_VERIFIER`);
  }
  const { SRP_B, SALT, SECRET_BLOCK, USER_ID_FOR_SRP } = initiated.ChallengeParameters;
  if (SRP_B === undefined || SALT === undefined || SECRET_BLOCK === undefined || USER_ID_FOR_SRP === undefined) {
    throw new Error('The PASSWORD_VERIFIER challenge lacks SRP_B, SALT, SECRET_BLOCK or USER_ID_FOR_SRP');
  }
  const poolName = poolNameOf(config.userPoolId);
  const key = await passwordAuthenticationKey({ poolName, userId: USER_ID_FOR_SRP, password, a, B: BigInt(`0x${SRP_B}`), saltHex: SALT });
  const timestamp = srpTimestamp(new Date());
  const signature = await passwordClaimSignature(key, poolName, USER_ID_FOR_SRP, SECRET_BLOCK, timestamp);

  const answered = await callCognito(config.endpoint, 'RespondToAuthChallenge', {
    ChallengeName: 'PASSWORD_VERIFIER',
    ClientId: config.clientId,
    ChallengeResponses: {
      USERNAME: USER_ID_FOR_SRP,
      PASSWORD_CLAIM_SECRET_BLOCK: SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: signature,
      TIMESTAMP: timestamp,
    },
    ...(initiated.Session === undefined ? {} : { Session: initiated.Session }),
  });
  const result = answered.AuthenticationResult;
  if (result?.IdToken === undefined || result.AccessToken === undefined || result.RefreshToken === undefined) {
    throw new Error(`Sign-in needs the ${answered.ChallengeName ?? 'unknown'} challenge, which this app does not support`);
  }
  return { IdToken: result.IdToken, AccessToken: result.AccessToken, RefreshToken: result.RefreshToken, ExpiresIn: result.ExpiresIn ?? 3600 };
}

/** The pool name SRP mixes in: the part of the pool id after the region (`us-east-1_Ab12` → `Ab12`). */
export function poolNameOf(userPoolId: string): string {
  return userPoolId.split('_')[1] ?? userPoolId;
}

/** The 16-byte key of the session: HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived Key"). */
export async function passwordAuthenticationKey(input: {
  poolName: string;
  userId: string;
  password: string;
  /** The client's secret ephemeral. */
  a: bigint;
  /** The server's public ephemeral (SRP_B). */
  B: bigint;
  /** SALT as Cognito sends it (hex). */
  saltHex: string;
}): Promise<Bytes> {
  const { a, B } = input;
  if (B % N === 0n) throw new Error('Cognito sent an invalid SRP_B');
  const A = modPow(g, a, N);
  const k = await hashHex(padHex(N) + padHex(g));
  const u = await hashHex(padHex(A) + padHex(B));
  if (u === 0n) throw new Error('Cognito sent an invalid SRP_B');
  const identity = toHex(await sha256(utf8(`${input.poolName}${input.userId}:${input.password}`)));
  const x = await hashHex(padHex(BigInt(`0x${input.saltHex}`)) + identity);
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  const S = modPow(base, a + u * x, N);
  const prk = await hmac(fromHex(padHex(u)), fromHex(padHex(S)));
  return (await hmac(prk, INFO)).slice(0, 16);
}

/** PASSWORD_CLAIM_SIGNATURE: base64 HMAC-SHA256 over poolName | userId | SECRET_BLOCK bytes | TIMESTAMP. */
export async function passwordClaimSignature(key: Uint8Array, poolName: string, userId: string, secretBlock: string, timestamp: string): Promise<string> {
  const message = concat([utf8(poolName), utf8(userId), fromBase64(secretBlock), utf8(timestamp)]);
  return toBase64(await hmac(new Uint8Array(key), message));
}

/** TIMESTAMP in Cognito's format, `EEE MMM d HH:mm:ss UTC yyyy` in English (`Tue Sep 5 16:08:23 UTC 2026`). */
export function srpTimestamp(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

/** The shortest even-length hex of a non-negative integer, with 00 in front when its top bit is set. */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

interface CognitoAuthResponse {
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string | undefined>;
  Session?: string;
  AuthenticationResult?: { IdToken?: string; AccessToken?: string; RefreshToken?: string; ExpiresIn?: number };
}

async function callCognito(endpoint: string, action: string, body: unknown): Promise<CognitoAuthResponse> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${action}` },
    body: JSON.stringify(body),
  });
  const payload = (await response.json().catch(() => ({}))) as CognitoAuthResponse & { __type?: string; message?: string; Message?: string };
  if (!response.ok) {
    // `__type` may carry a namespace (`com.amazonaws...#NotAuthorizedException`).
    const type = (payload.__type ?? response.headers.get('x-amzn-ErrorType') ?? 'UnknownError').split('#').pop()?.split(':')[0] ?? 'UnknownError';
    throw new CognitoError(type, payload.message ?? payload.Message ?? `${action} failed with HTTP ${response.status}`, response.status);
  }
  return payload;
}

/** a: 128 random bytes, as Cognito's clients use (smaller than N, so no reduction is needed). */
function randomExponent(): bigint {
  return BigInt(`0x${toHex(globalThis.crypto.getRandomValues(new Uint8Array(128)))}`);
}

/** Bytes in memory WebCrypto accepts (not a view of a SharedArrayBuffer). */
type Bytes = Uint8Array<ArrayBuffer>;

function utf8(text: string): Bytes {
  return new TextEncoder().encode(text) as Bytes;
}

async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data));
}

async function hashHex(hex: string): Promise<bigint> {
  return BigInt(`0x${toHex(await sha256(fromHex(hex)))}`);
}

async function hmac(key: Bytes, data: Bytes): Promise<Bytes> {
  const cryptoKey = await globalThis.crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, data));
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function fromHex(hex: string): Bytes {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

function fromBase64(base64: string): Bytes {
  return Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function concat(parts: Bytes[]): Bytes {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
