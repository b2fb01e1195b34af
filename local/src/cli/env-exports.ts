import { join } from 'node:path';
import type { LocalCloudState } from '../cloud/state-file.ts';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';

/**
 * What `npm run env` prints for `eval "$(npm run -s env)"`: the running local cloud's endpoints
 * as shell variables (API, WEB, CONTROL, TABLE, USER_POOL_ID, CLIENT_ID), the AWS SDK and CLI
 * settings that reach it (region, dummy credentials, one AWS_ENDPOINT_URL_<SERVICE> per local
 * service, which the SDKs and the AWS CLI read), and PATH with the project venv's bin first
 * (its `aws` is the AWS CLI v1 the workshop uses). Evaluating it twice leaves PATH as once.
 */
export type EnvSource = Pick<
  LocalCloudState,
  'apiUrl' | 'webUrl' | 'controlUrl' | 'tableNames' | 'userPoolId' | 'clientId' | 'region' | 'dynamoDbEndpoint' | 'sqsEndpoint' | 'snsEndpoint' | 'sfnEndpoint' | 'cognitoEndpoint'
>;

export function envExports(state: EnvSource, repositoryRoot: string): string[] {
  const venvBin = join(repositoryRoot, '.venv', 'bin');
  const variables: Array<[string, string | undefined]> = [
    ['API', state.apiUrl.replace(/\/+$/, '')],
    ['WEB', state.webUrl?.replace(/\/+$/, '')],
    ['CONTROL', `${state.controlUrl.replace(/\/+$/, '')}/__local`],
    ['TABLE', state.tableNames.OrdersTable ?? Object.values(state.tableNames)[0]],
    ['USER_POOL_ID', state.userPoolId],
    ['CLIENT_ID', state.clientId],
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
    // Any earlier copy removed first, so a second eval does not grow PATH.
    `export PATH=${shellQuote(`${venvBin}:`)}"\${PATH//${venvBin.replace(/[\\/*?[\]'"$`]/g, '\\$&')}:/}"`,
  ];
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
