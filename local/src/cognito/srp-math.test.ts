import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { referenceHelper, referenceLargeA, referenceSessionKey } from '../../test-support/srp-reference-client.ts';
import {
  isPasswordClaimValid,
  padHex,
  parseSrpTimestamp,
  passwordVerifier,
  poolNameOf,
  serverEphemeral,
  serverSessionKey,
  srpTimestamp,
} from './srp-math.ts';

const POOL_NAME = poolNameOf('us-east-1_Ab12Cd34E');
const USER_ID = '5f1b2c3d-0000-4000-8000-000000000001';
const PASSWORD = 'Passw0rd!Local';
const SALT = '9f86d081884c7d659a2feaa0c55ad015';

/** The client's proof as amazon-cognito-identity-js builds it (CognitoUser.authenticateUserDefaultAuth). */
function referenceSignature(key: Buffer, secretBlock: string, timestamp: string): string {
  const message = Buffer.concat([Buffer.from(POOL_NAME), Buffer.from(USER_ID), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)]);
  return createHmac('sha256', key).update(message).digest('base64');
}

describe('the server half of Cognito SRP, against AWS\'s reference client', () => {
  it('derives the same 16-byte key as amazon-cognito-identity-js when the password is right', async () => {
    const client = referenceHelper(POOL_NAME);
    const A = BigInt(`0x${await referenceLargeA(client)}`);
    const verifier = passwordVerifier(POOL_NAME, USER_ID, PASSWORD, SALT);
    const ephemeral = serverEphemeral(verifier);

    const clientKey = await referenceSessionKey(client, USER_ID, PASSWORD, ephemeral.B.toString(16), SALT);
    const serverKey = serverSessionKey(A, ephemeral, verifier);

    expect(serverKey).toHaveLength(16);
    expect(serverKey.equals(clientKey)).toBe(true);
  });

  it('accepts the reference client\'s proof and rejects one made with another password', async () => {
    const secretBlock = Buffer.from('opaque session state').toString('base64');
    const timestamp = srpTimestamp(new Date());
    const verifier = passwordVerifier(POOL_NAME, USER_ID, PASSWORD, SALT);
    const claimWith = async (password: string) => {
      const client = referenceHelper(POOL_NAME);
      const A = BigInt(`0x${await referenceLargeA(client)}`);
      const ephemeral = serverEphemeral(verifier);
      const clientKey = await referenceSessionKey(client, USER_ID, password, ephemeral.B.toString(16), SALT);
      return isPasswordClaimValid(serverSessionKey(A, ephemeral, verifier), {
        poolName: POOL_NAME,
        userId: USER_ID,
        secretBlock,
        timestamp,
        signatureBase64: referenceSignature(clientKey, secretBlock, timestamp),
      });
    };

    expect(await claimWith(PASSWORD)).toBe(true);
    expect(await claimWith('Passw0rd!Wrong')).toBe(false);
  });

  it('binds the proof to the timestamp and the secret block the client signed', async () => {
    const client = referenceHelper(POOL_NAME);
    const A = BigInt(`0x${await referenceLargeA(client)}`);
    const verifier = passwordVerifier(POOL_NAME, USER_ID, PASSWORD, SALT);
    const ephemeral = serverEphemeral(verifier);
    const key = serverSessionKey(A, ephemeral, verifier);
    const clientKey = await referenceSessionKey(client, USER_ID, PASSWORD, ephemeral.B.toString(16), SALT);
    const secretBlock = Buffer.from('block one').toString('base64');
    const signature = referenceSignature(clientKey, secretBlock, 'Mon Nov 30 00:30:00 UTC 2026');
    const claim = { poolName: POOL_NAME, userId: USER_ID, secretBlock, timestamp: 'Mon Nov 30 00:30:00 UTC 2026', signatureBase64: signature };

    expect(isPasswordClaimValid(key, claim)).toBe(true);
    expect(isPasswordClaimValid(key, { ...claim, timestamp: 'Mon Nov 30 00:30:01 UTC 2026' })).toBe(false);
    expect(isPasswordClaimValid(key, { ...claim, secretBlock: Buffer.from('block two').toString('base64') })).toBe(false);
    expect(isPasswordClaimValid(key, { ...claim, signatureBase64: 'c2hvcnQ=' })).toBe(false);
  });
});

describe('padHex', () => {
  it('gives the shortest even-length hex, with 00 in front when the top bit is set (Java\'s toByteArray)', () => {
    expect(padHex(0x14n)).toBe('14');
    expect(padHex(0xecn)).toBe('00ec');
    expect(padHex(0x123n)).toBe('0123');
    expect(padHex(0x8123n)).toBe('008123');
  });
});

describe('SRP timestamps', () => {
  it('formats as `EEE MMM d HH:mm:ss UTC yyyy` with the day unpadded, as the reference client does', () => {
    expect(srpTimestamp(new Date('2026-09-05T06:07:08Z'))).toBe('Sat Sep 5 06:07:08 UTC 2026');
  });

  it('parses its own format and a zero-padded day, and nothing else', () => {
    expect(parseSrpTimestamp('Sat Sep 5 06:07:08 UTC 2026')?.toISOString()).toBe('2026-09-05T06:07:08.000Z');
    expect(parseSrpTimestamp('Sat Sep 05 06:07:08 UTC 2026')?.toISOString()).toBe('2026-09-05T06:07:08.000Z');
    expect(parseSrpTimestamp('2026-09-05T06:07:08Z')).toBeUndefined();
    expect(parseSrpTimestamp('Sat Sep 5 06:07:08 +0000 2026')).toBeUndefined();
    // A weekday that does not match the date.
    expect(parseSrpTimestamp('Mon Sep 5 06:07:08 UTC 2026')).toBeUndefined();
  });
});
