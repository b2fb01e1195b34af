/**
 * `npm run sam-local-env [-- --host <name>]`: writes `.local-cloud/sam-local-env.json`, the
 * `--env-vars` file for `sam local start-api --parameter-overrides LocalAuthorizer=true`, while
 * `npm start` runs (README, "With Docker: sam local"; docs/decisions.md D24).
 *
 * It is `local/sam-local-env.json` with what only the running local cloud knows: its endpoints
 * (the ports it really uses) under the host name containers reach it by (`host.docker.internal`
 * by default; `127.0.0.1` with `--docker-network host`), and for LocalAuthorizerFunction the user
 * pool's issuer, app client and signing keys. The issuer stays as the tokens name it
 * (`http://127.0.0.1:<port>/<pool id>`); only the keys are fetched through the container's host.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The part of `.local-cloud/state.json` (written by `npm start`) this needs. */
export interface RunningLocalCloud {
  dynamoDbEndpoint: string;
  sqsEndpoint: string;
  snsEndpoint: string;
  sfnEndpoint: string;
  cognitoEndpoint: string;
  userPoolId: string;
  clientId: string;
}

export interface SamEnvVars {
  Parameters: Record<string, string>;
}

/** The env-vars file for a running local cloud, as seen from containers that reach it by `host`. */
export function samLocalEnvVars(base: SamEnvVars, cloud: RunningLocalCloud, host: string): SamEnvVars {
  const reach = (endpoint: string) => {
    const url = new URL(endpoint);
    url.hostname = host;
    return url.origin;
  };
  return {
    Parameters: {
      ...base.Parameters,
      AWS_ENDPOINT_URL_DYNAMODB: reach(cloud.dynamoDbEndpoint),
      AWS_ENDPOINT_URL_SQS: reach(cloud.sqsEndpoint),
      AWS_ENDPOINT_URL_SNS: reach(cloud.snsEndpoint),
      AWS_ENDPOINT_URL_SFN: reach(cloud.sfnEndpoint),
      USER_POOL_ISSUER: `${cloud.cognitoEndpoint}/${cloud.userPoolId}`,
      USER_POOL_CLIENT_ID: cloud.clientId,
      USER_POOL_JWKS_URI: `${reach(cloud.cognitoEndpoint)}/${cloud.userPoolId}/.well-known/jwks.json`,
    },
  };
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BASE_FILE = path.join(ROOT, 'local/sam-local-env.json');
export const OUTPUT_FILE = path.join(ROOT, '.local-cloud/sam-local-env.json');

function main(): void {
  const hostFlag = process.argv.indexOf('--host');
  const host = hostFlag === -1 ? 'host.docker.internal' : process.argv[hostFlag + 1];
  if (!host) throw new Error('Usage: npm run sam-local-env [-- --host <name the containers reach this machine by>]');
  let cloud: RunningLocalCloud;
  try {
    cloud = JSON.parse(readFileSync(path.join(ROOT, '.local-cloud/state.json'), 'utf8')) as RunningLocalCloud;
  } catch {
    throw new Error('The local cloud is not running (no .local-cloud/state.json). Start it with `npm start`.');
  }
  const base = JSON.parse(readFileSync(BASE_FILE, 'utf8')) as SamEnvVars;
  mkdirSync(path.dirname(OUTPUT_FILE), { recursive: true });
  writeFileSync(OUTPUT_FILE, `${JSON.stringify(samLocalEnvVars(base, cloud, host), null, 2)}\n`);
  console.log(path.relative(process.cwd(), OUTPUT_FILE));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
