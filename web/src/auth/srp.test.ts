import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { referenceHelperWithSecret, referenceLargeA, referenceSessionKey } from '../../../local/test-support/srp-reference-client.ts';
import { modPow, padHex, passwordAuthenticationKey, passwordClaimSignature, poolNameOf, srpTimestamp } from './srp.ts';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
const N = BigInt(`0x${N_HEX}`);

// Fixed inputs, so both clients compute from the same numbers.
const POOL_NAME = poolNameOf('us-east-1_Ab12Cd34E');
const USER_ID = '5f1b2c3d-0000-4000-8000-000000000001';
const PASSWORD = 'Passw0rd!Local';
const SALT = '8f86d081884c7d659a2feaa0c55ad015';
const A_SECRET = 'a1'.repeat(128);
// Any B of the group will do for the client's arithmetic: g^b for a fixed b.
const B = modPow(2n, BigInt(`0x${'5c'.repeat(128)}`), N);

describe('srp.ts against amazon-cognito-identity-js (AWS\'s reference client)', () => {
  it('sends the same A for the same secret', async () => {
    const reference = referenceHelperWithSecret(POOL_NAME, A_SECRET);
    expect(modPow(2n, BigInt(`0x${A_SECRET}`), N).toString(16)).toBe(await referenceLargeA(reference));
  });

  it('derives the same 16-byte key from the same a, B, salt, user and password', async () => {
    const reference = referenceHelperWithSecret(POOL_NAME, A_SECRET);
    await referenceLargeA(reference);
    const expected = await referenceSessionKey(reference, USER_ID, PASSWORD, B.toString(16), SALT);

    const key = await passwordAuthenticationKey({ poolName: POOL_NAME, userId: USER_ID, password: PASSWORD, a: BigInt(`0x${A_SECRET}`), B, saltHex: SALT });

    expect(Buffer.from(key).toString('hex')).toBe(expected.toString('hex'));
    const other = await passwordAuthenticationKey({ poolName: POOL_NAME, userId: USER_ID, password: 'Passw0rd!Other', a: BigInt(`0x${A_SECRET}`), B, saltHex: SALT });
    expect(Buffer.from(other).toString('hex')).not.toBe(expected.toString('hex'));
  });

  it('signs poolName | userId | SECRET_BLOCK | TIMESTAMP as the reference client does', async () => {
    const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const secretBlock = Buffer.from('opaque session state from Cognito').toString('base64');
    const timestamp = 'Mon Nov 30 00:30:00 UTC 2026';
    const expected = createHmac('sha256', key)
      .update(Buffer.concat([Buffer.from(POOL_NAME), Buffer.from(USER_ID), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)]))
      .digest('base64');

    expect(await passwordClaimSignature(key, POOL_NAME, USER_ID, secretBlock, timestamp)).toBe(expected);
  });

  it('rejects a B that is a multiple of N (a forged server value)', async () => {
    await expect(passwordAuthenticationKey({ poolName: POOL_NAME, userId: USER_ID, password: PASSWORD, a: 3n, B: N, saltHex: SALT })).rejects.toThrow(/SRP_B/);
  });
});

describe('srp.ts helpers', () => {
  it('pads hex as Java\'s BigInteger.toByteArray does', () => {
    expect(padHex(0x14n)).toBe('14');
    expect(padHex(0xecn)).toBe('00ec');
    expect(padHex(0x8123n)).toBe('008123');
  });

  it('formats TIMESTAMP as `EEE MMM d HH:mm:ss UTC yyyy`, the day unpadded', () => {
    expect(srpTimestamp(new Date('2026-09-05T06:07:08Z'))).toBe('Sat Sep 5 06:07:08 UTC 2026');
    expect(srpTimestamp(new Date('2026-11-30T23:59:59Z'))).toBe('Mon Nov 30 23:59:59 UTC 2026');
  });
});
