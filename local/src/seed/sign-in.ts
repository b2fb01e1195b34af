import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../core/aws-account.ts';

/**
 * Signs a user in with USER_PASSWORD_AUTH against cognito-local and returns the ID token,
 * the token the API's Cognito authorizer expects.
 */
export async function idTokenFor(
  cognitoEndpoint: string,
  clientId: string,
  email: string,
  password: string,
  region = LOCAL_REGION,
): Promise<string> {
  const client = new CognitoIdentityProviderClient({
    endpoint: cognitoEndpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
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
