import { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '#local/core/aws-account.ts';
import { referenceSrpSignIn } from '../../local/test-support/srp-reference-client.ts';

/**
 * The local Cognito's USER_SRP_AUTH (local/src/cognito/srp-auth.ts), driven by AWS's own SRP
 * client (amazon-cognito-identity-js) and by the AWS SDK, against the template's user pool.
 */
const endpoint = inject('cognitoEndpoint');
const userPoolId = inject('userPoolId');
const clientId = inject('clientId');
const password = inject('password');
const alice = 'alice@example.com';
const cognito = new CognitoIdentityProviderClient({ endpoint, region: inject('region'), credentials: LOCAL_CREDENTIALS });
afterAll(() => cognito.destroy());

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('USER_SRP_AUTH in the local Cognito', () => {
  it('signs alice in through the reference client, with tokens of the pool', async () => {
    const idToken = await referenceSrpSignIn(endpoint, userPoolId, clientId, alice, password);

    expect(claims(idToken)).toMatchObject({ email: alice, aud: clientId, iss: `${endpoint}/${userPoolId}`, token_use: 'id' });
  });

  it('answers a wrong password with NotAuthorizedException, as Cognito does', async () => {
    await expect(referenceSrpSignIn(endpoint, userPoolId, clientId, alice, 'Passw0rd!Wrong')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('does not reveal whether a user exists (the pool client prevents user existence errors)', async () => {
    const challenge = await cognito.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'nobody@example.com', SRP_A: 'abc123' } }),
    );
    expect(challenge.ChallengeName).toBe('PASSWORD_VERIFIER');

    await expect(referenceSrpSignIn(endpoint, userPoolId, clientId, 'nobody@example.com', password)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('gives the PASSWORD_VERIFIER challenge Cognito\'s parameters, with the username resolved from the email', async () => {
    const { ChallengeName, ChallengeParameters, AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: alice, SRP_A: 'abc123' } }),
    );

    expect(ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(AuthenticationResult).toBeUndefined();
    expect(Object.keys(ChallengeParameters ?? {}).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    expect(ChallengeParameters?.SALT).toMatch(/^[0-9a-f]{32}$/);
    expect(ChallengeParameters?.SRP_B).toMatch(/^[0-9a-f]{700,}$/);
    // alice's username is her sub, the email an alias (UsernameAttributes: email).
    expect(ChallengeParameters?.USER_ID_FOR_SRP).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects an SRP_A that is a multiple of N, and a TIMESTAMP not in Cognito\'s format', async () => {
    await expect(
      cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: alice, SRP_A: '0' } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });

    const { ChallengeParameters } = await cognito.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: { USERNAME: alice, SRP_A: 'abc123' } }),
    );
    await expect(
      cognito.send(
        new RespondToAuthChallengeCommand({
          ChallengeName: 'PASSWORD_VERIFIER',
          ClientId: clientId,
          ChallengeResponses: {
            USERNAME: ChallengeParameters?.USER_ID_FOR_SRP ?? '',
            PASSWORD_CLAIM_SECRET_BLOCK: ChallengeParameters?.SECRET_BLOCK ?? '',
            PASSWORD_CLAIM_SIGNATURE: 'c2lnbmF0dXJl',
            TIMESTAMP: new Date().toISOString(),
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.' });
  });

  it('accepts one answer per SECRET_BLOCK: a replayed or unknown block is an expired session', async () => {
    await expect(
      cognito.send(
        new RespondToAuthChallengeCommand({
          ChallengeName: 'PASSWORD_VERIFIER',
          ClientId: clientId,
          ChallengeResponses: { USERNAME: alice, PASSWORD_CLAIM_SECRET_BLOCK: 'bm90IGEgYmxvY2s=', PASSWORD_CLAIM_SIGNATURE: 'c2ln', TIMESTAMP: 'Mon Nov 30 00:30:00 UTC 2026' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user, session is expired.' });
  });

  it('answers a browser\'s CORS preflight for its JSON API', async () => {
    const response = await fetch(endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target,x-amz-user-agent' },
    });

    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-amz-target');
  });

  it('leaves USER_PASSWORD_AUTH to cognito-local', async () => {
    const { AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: alice, PASSWORD: password } }),
    );
    expect(AuthenticationResult?.IdToken).toBeDefined();
  });
});
