import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server half of Cognito's SRP-6a (USER_SRP_AUTH): the 3072-bit group of RFC 5054 with
 * g = 2, SHA-256, and Cognito's own choices, which every Cognito client library follows:
 * numbers are hashed as their shortest two's-complement hex (`padHex`, not padded to the
 * group's length), x = H(salt | H(poolName | userId | ":" | password)), and the proof is an
 * HMAC over `poolName | userId | SECRET_BLOCK | TIMESTAMP` keyed with 16 bytes of HKDF
 * ("Caldera Derived Key") from S and u.
 */
export const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const g = 2n;
const k = hashHex(padHex(N) + padHex(g));

/** The shortest even-length hex of a non-negative integer with its top bit clear (a leading 00 if needed). */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** SHA-256 of the bytes a hex string spells, as an integer. */
function hashHex(hex: string): bigint {
  return BigInt(`0x${createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex')}`);
}

/** The pool name Cognito mixes into x and the proof: the part of the pool id after the region. */
export function poolNameOf(userPoolId: string): string {
  return userPoolId.split('_')[1] ?? userPoolId;
}

/** v = g^x, the verifier Cognito stores in place of the password. */
export function passwordVerifier(poolName: string, userId: string, password: string, saltHex: string): bigint {
  const identityHash = createHash('sha256').update(`${poolName}${userId}:${password}`, 'utf8').digest('hex');
  const x = hashHex(padHex(BigInt(`0x${saltHex}`)) + identityHash);
  return modPow(g, x, N);
}

export interface ServerEphemeral {
  b: bigint;
  B: bigint;
}

/** B = k·v + g^b, with a fresh random b. */
export function serverEphemeral(verifier: bigint): ServerEphemeral {
  for (;;) {
    const b = BigInt(`0x${randomBytes(128).toString('hex')}`);
    const B = (k * verifier + modPow(g, b, N)) % N;
    if (B !== 0n) return { b, B };
  }
}

/** A is usable when it is not a multiple of N (SRP-6a's safeguard against a forged A). */
export function isValidClientEphemeral(A: bigint): boolean {
  return A > 0n && A % N !== 0n;
}

/** The 16-byte key both sides derive: HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived Key"). */
export function serverSessionKey(A: bigint, ephemeral: ServerEphemeral, verifier: bigint): Buffer {
  const u = hashHex(padHex(A) + padHex(ephemeral.B));
  const S = modPow(A * modPow(verifier, u, N), ephemeral.b, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

/** Whether `signatureBase64` is the client's proof of the same key over this challenge. */
export function isPasswordClaimValid(
  key: Buffer,
  claim: { poolName: string; userId: string; secretBlock: string; timestamp: string; signatureBase64: string },
): boolean {
  const expected = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(claim.poolName, 'utf8'),
        Buffer.from(claim.userId, 'utf8'),
        Buffer.from(claim.secretBlock, 'base64'),
        Buffer.from(claim.timestamp, 'utf8'),
      ]),
    )
    .digest();
  const given = Buffer.from(claim.signatureBase64, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIMESTAMP = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/**
 * The instant of a TIMESTAMP in Cognito's format, `EEE MMM d HH:mm:ss z yyyy` in English and UTC
 * (`Tue Sep 5 16:08:23 UTC 2026`; a zero-padded day is accepted too), or undefined when it is
 * not one. Only the format is checked here; the signature covers the exact string.
 */
export function parseSrpTimestamp(timestamp: string): Date | undefined {
  const match = TIMESTAMP.exec(timestamp);
  if (match === null) return undefined;
  const [, weekday, month, day, hours, minutes, seconds, year] = match;
  const date = new Date(Date.UTC(Number(year), MONTHS.indexOf(month as string), Number(day), Number(hours), Number(minutes), Number(seconds)));
  if (date.getUTCDate() !== Number(day) || WEEKDAYS[date.getUTCDay()] !== weekday) return undefined;
  return date;
}

/** Cognito's TIMESTAMP for `date` (what clients send; the reference client does not pad the day). */
export function srpTimestamp(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}
