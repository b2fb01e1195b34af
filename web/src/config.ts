/**
 * The app's run-time configuration, `GET /config.json` at its own origin: the app is built once
 * and each environment serves its own file (locally `npm start`, in AWS scripts/web-deploy.ts
 * from the stack's outputs), so no rebuild per environment.
 */
export interface CognitoConfig {
  /** Cognito's JSON API: `https://cognito-idp.<region>.amazonaws.com/`, locally the local Cognito URL. */
  endpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
}

export interface AppConfig {
  /** The API's base URL, without a trailing slash. */
  apiUrl: string;
  cognito: CognitoConfig;
}

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Checks a parsed config.json, naming what is missing, so a bad deployment says what is wrong. */
export function parseConfig(value: unknown): AppConfig {
  const problems: string[] = [];
  const root = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const cognito = (typeof root.cognito === 'object' && root.cognito !== null ? root.cognito : {}) as Record<string, unknown>;
  if (!isNonEmptyString(root.apiUrl)) problems.push('apiUrl');
  for (const key of ['endpoint', 'region', 'userPoolId', 'clientId'] as const) {
    if (!isNonEmptyString(cognito[key])) problems.push(`cognito.${key}`);
  }
  if (problems.length > 0) throw new Error(`config.json lacks ${problems.join(', ')}`);
  return {
    apiUrl: (root.apiUrl as string).replace(/\/+$/, ''),
    cognito: {
      endpoint: cognito.endpoint as string,
      region: cognito.region as string,
      userPoolId: cognito.userPoolId as string,
      clientId: cognito.clientId as string,
    },
  };
}

/** Reads /config.json (never cached: a redeploy may change it). */
export async function loadConfig(fetchFn: typeof fetch = fetch): Promise<AppConfig> {
  const response = await fetchFn('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /config.json answered ${response.status}`);
  return parseConfig(await response.json());
}
