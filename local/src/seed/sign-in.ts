import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';

/**
 * Signs a user in with USER_PASSWORD_AUTH against cognito-local and returns the ID token,
 * the token the API's Cognito authorizer expects.
 */
export async function idTokenFor(
  cognitoEndpoint: string,
  clientId: string,
  email: string,
  password: string,
  region = 'us-east-1',
): Promise<string> {
  const client = new CognitoIdentityProviderClient({
    endpoint: cognitoEndpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    const { AuthenticationResult } = await client.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    if (AuthenticationResult?.IdToken === undefined) {
      throw new Error(`Signing in ${email} returned no ID token (a challenge instead?)`);
    }
    return AuthenticationResult.IdToken;
  } finally {
    client.destroy();
  }
}
