import { join } from 'node:path';
import type { LocalCloudState } from '../cloud/state-file.ts';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';

/**
 * What `npm run env` prints for `eval "$(npm run -s env)"`: the running local cloud's endpoints
 * as shell variables (API, WEB, CONTROL, TABLE, USER_POOL_ID, CLIENT_ID, FUNCTION_LOGS), the AWS SDK and CLI
 * settings that reach it (region, dummy credentials, one AWS_ENDPOINT_URL_<SERVICE> per local
 * service, which the SDKs and the AWS CLI read; but the AWS CLI v1 keeps SQS on its legacy
 * endpoint in us-east-1, so the workshop passes `--endpoint-url "$AWS_ENDPOINT_URL_SQS"`), and
 * PATH with the project venv's bin first (its `aws` is the AWS CLI v1 the workshop uses).
 * Evaluating it twice leaves PATH as once.
 */
export type EnvSource = Pick<
  LocalCloudState,
  'apiUrl' | 'webUrl' | 'controlUrl' | 'tableNames' | 'userPoolId' | 'clientId' | 'region' | 'dynamoDbEndpoint' | 'sqsEndpoint' | 'snsEndpoint' | 'sfnEndpoint' | 'cognitoEndpoint' | 'functionLogFile'
>;

export function envExports(state: EnvSource, repositoryRoot: string): string[] {
  const variables: Array<[string, string | undefined]> = [
    ['API', state.apiUrl.replace(/\/+$/, '')],
    ['WEB', state.webUrl?.replace(/\/+$/, '')],
    ['CONTROL', `${state.controlUrl.replace(/\/+$/, '')}/__local`],
    ['TABLE', state.tableNames.OrdersTable ?? Object.values(state.tableNames)[0]],
    ['USER_POOL_ID', state.userPoolId],
    ['CLIENT_ID', state.clientId],
    // Every line the functions logged, as JSON Lines (what `npm run trail` reads; workshop module 6).
    ['FUNCTION_LOGS', state.functionLogFile],
    ['AWS_REGION', state.region],
    ['AWS_DEFAULT_REGION', state.region],
    ['AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey],
    ['AWS_ENDPOINT_URL_DYNAMODB', state.dynamoDbEndpoint],
    ['AWS_ENDPOINT_URL_SQS', state.sqsEndpoint],
    ['AWS_ENDPOINT_URL_SNS', state.snsEndpoint],
    ['AWS_ENDPOINT_URL_SFN', state.sfnEndpoint],
    ['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', state.cognitoEndpoint],
  ];
  return [
    ...variables.filter((entry): entry is [string, string] => entry[1] !== undefined).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    pathExport(repositoryRoot),
  ];
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The local services' endpoint variables that envExports sets (and a stack's environment drops). */
export const LOCAL_ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_ENDPOINT_URL_SNS',
  'AWS_ENDPOINT_URL_SFN',
  'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
] as const;

/** The stack outputs `npm run env` exports for a deployed stack, by variable. */
const STACK_OUTPUTS = { API: 'ApiUrl', WEB: 'WebUrl', TABLE: 'TableName', USER_POOL_ID: 'UserPoolId', CLIENT_ID: 'UserPoolClientId' } as const;

/**
 * `npm run env` with TEST_STACK naming a deployed stack (workshop modules 7–9): the local
 * endpoints, CONTROL and the local dummy key are dropped (`unset`), so the AWS CLI and SDKs reach
 * AWS with the learner's own credentials; the region is exported, PATH has the venv first, and
 * API, WEB, TABLE, USER_POOL_ID and CLIENT_ID come from the stack's outputs once it exists
 * (`outputs` undefined: not deployed yet).
 */
export function stackEnvExports(options: { region: string; outputs: Record<string, string> | undefined; dummyKey: boolean; repositoryRoot: string }): string[] {
  const { region, outputs, dummyKey, repositoryRoot } = options;
  const fromOutputs = Object.entries(STACK_OUTPUTS)
    .map(([variable, output]) => [variable, outputs?.[output]?.replace(/\/+$/, '')] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined && entry[1] !== '');
  return [
    `unset ${[...LOCAL_ENDPOINT_VARIABLES, 'CONTROL', ...(dummyKey ? ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] : [])].join(' ')}`,
    ...(outputs === undefined ? ['unset API WEB TABLE USER_POOL_ID CLIENT_ID'] : []),
    `export AWS_REGION=${shellQuote(region)}`,
    `export AWS_DEFAULT_REGION=${shellQuote(region)}`,
    ...fromOutputs.map(([variable, value]) => `export ${variable}=${shellQuote(value)}`),
    pathExport(repositoryRoot),
  ];
}

function pathExport(repositoryRoot: string): string {
  const venvBin = join(repositoryRoot, '.venv', 'bin');
  // Any earlier copy removed first, so a second eval does not grow PATH.
  return `export PATH=${shellQuote(`${venvBin}:`)}"\${PATH//${venvBin.replace(/[\\/*?[\]'"$`]/g, '\\$&')}:/}"`;
}
