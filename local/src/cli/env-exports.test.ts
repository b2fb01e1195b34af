import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { type EnvSource, envExports, stackEnvExports } from './env-exports.ts';

const state: EnvSource = {
  apiUrl: 'http://127.0.0.1:3000/',
  webUrl: 'http://127.0.0.1:8750',
  controlUrl: 'http://127.0.0.1:8730',
  tableNames: { OrdersTable: 'OrdersTable' },
  userPoolId: 'local_abc',
  clientId: 'client123',
  region: 'us-east-1',
  dynamoDbEndpoint: 'http://127.0.0.1:8700',
  sqsEndpoint: 'http://127.0.0.1:8710',
  snsEndpoint: 'http://127.0.0.1:8720',
  sfnEndpoint: 'http://127.0.0.1:8740',
  cognitoEndpoint: 'http://127.0.0.1:9700',
};

describe('envExports', () => {
  it('exports the endpoints, the AWS settings that reach them, and PATH with the venv first', () => {
    expect(envExports(state, '/repo')).toEqual([
      'export API=http://127.0.0.1:3000',
      'export WEB=http://127.0.0.1:8750',
      'export CONTROL=http://127.0.0.1:8730/__local',
      'export TABLE=OrdersTable',
      'export USER_POOL_ID=local_abc',
      'export CLIENT_ID=client123',
      'export AWS_REGION=us-east-1',
      'export AWS_DEFAULT_REGION=us-east-1',
      'export AWS_ACCESS_KEY_ID=test',
      'export AWS_SECRET_ACCESS_KEY=test',
      'export AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8700',
      'export AWS_ENDPOINT_URL_SQS=http://127.0.0.1:8710',
      'export AWS_ENDPOINT_URL_SNS=http://127.0.0.1:8720',
      'export AWS_ENDPOINT_URL_SFN=http://127.0.0.1:8740',
      'export AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=http://127.0.0.1:9700',
      'export PATH=/repo/.venv/bin:"${PATH//\\/repo\\/.venv\\/bin:/}"',
    ]);
  });

  it('leaves WEB out when the web app is not served', () => {
    expect(envExports({ ...state, webUrl: undefined }, '/repo').some((line) => line.startsWith('export WEB='))).toBe(false);
  });

  it('evaluates in bash to the same values, quoting what needs it, and a second eval leaves PATH as the first', () => {
    const odd = { ...state, tableNames: { OrdersTable: "it's a $table" } };
    const lines = envExports(odd, "/my repo/it's").join('\n');
    const script = `PATH=/usr/bin:/bin\n${lines}\nfirst=$PATH\n${lines}\nprintf '%s\\n' "$TABLE" "$PATH" "$([ "$PATH" = "$first" ] && echo same)"`;
    expect(execFileSync('bash', ['-c', script], { encoding: 'utf8' })).toBe("it's a $table\n/my repo/it's/.venv/bin:/usr/bin:/bin\nsame\n");
  });
});

describe('stackEnvExports', () => {
  it('drops the local endpoints and the dummy key, and exports the region and the stack outputs', () => {
    const outputs = { ApiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/Prod/', WebUrl: 'https://d1.cloudfront.net', TableName: 'stack-OrdersTable-1', UserPoolId: 'eu-west-1_x', UserPoolClientId: 'c', OtherOutput: 'ignored' };
    expect(stackEnvExports({ region: 'eu-west-1', outputs, dummyKey: true, repositoryRoot: '/repo' })).toEqual([
      'unset AWS_ENDPOINT_URL_DYNAMODB AWS_ENDPOINT_URL_SQS AWS_ENDPOINT_URL_SNS AWS_ENDPOINT_URL_SFN AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER CONTROL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY',
      'export AWS_REGION=eu-west-1',
      'export AWS_DEFAULT_REGION=eu-west-1',
      'export API=https://abc.execute-api.eu-west-1.amazonaws.com/Prod',
      'export WEB=https://d1.cloudfront.net',
      'export TABLE=stack-OrdersTable-1',
      'export USER_POOL_ID=eu-west-1_x',
      'export CLIENT_ID=c',
      'export PATH=/repo/.venv/bin:"${PATH//\\/repo\\/.venv\\/bin:/}"',
    ]);
  });

  it('keeps real credentials, and unsets the local values of the outputs while the stack is not deployed', () => {
    expect(stackEnvExports({ region: 'us-east-1', outputs: undefined, dummyKey: false, repositoryRoot: '/repo' }).slice(0, 2)).toEqual([
      'unset AWS_ENDPOINT_URL_DYNAMODB AWS_ENDPOINT_URL_SQS AWS_ENDPOINT_URL_SNS AWS_ENDPOINT_URL_SFN AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER CONTROL',
      'unset API WEB TABLE USER_POOL_ID CLIENT_ID',
    ]);
  });
});
