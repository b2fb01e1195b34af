import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readFunctionDefinitions } from '../lambda/from-template.ts';
import { LocalLambdaService } from '../lambda/lambda-service.ts';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../template/intrinsics.ts';
import { templateFromYaml } from '../template/load-template.ts';
import { ResourceRegistry } from '../template/resource-registry.ts';
import { type DeniedCall, LocalIam } from './local-iam.ts';

// A copy of template.yaml with one permission removed, and the real handler in a local Lambda
// execution environment: the exact SDK call that needs the permission fails with AWS's error,
// before it leaves the worker (no DynamoDB runs here; an allowed call would fail to connect).

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TEMPLATE = readFileSync(new URL('template.yaml', `file://${ROOT}`), 'utf8');
const ACCOUNT = DEFAULT_PSEUDO.accountId;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/OrdersTable`;
// GetProductFunction's only grant: its whole `Policies` (its DeploymentPreference follows).
const GRANT =
  '      Policies:\n        - Statement:\n            # The product and its stock counters in one BatchGetItem.\n            - Effect: Allow\n              Action: dynamodb:BatchGetItem\n              Resource: !GetAtt OrdersTable.Arn\n      # CodeDeploy shifts';

function lambdaFor(templateText: string, logicalId: string) {
  const template = templateFromYaml(templateText);
  const resolver = createIntrinsicResolver({ template, resources: new ResourceRegistry(template, DEFAULT_PSEUDO) });
  const iam = LocalIam.fromTemplate(template, resolver, { enforce: true });
  const denied: DeniedCall[] = [];
  const lambda = new LocalLambdaService({
    functions: readFunctionDefinitions(template, resolver, ROOT).filter((fn) => fn.logicalId === logicalId),
    region: 'us-east-1',
    accountId: ACCOUNT,
    serviceEndpoints: { DYNAMODB: 'http://127.0.0.1:1' },
    overrides: { AWS_MAX_ATTEMPTS: '1', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_TRACE_ENABLED: 'false' },
    iam,
    onIamDenied: (call) => denied.push(call),
  });
  return { lambda, iam, denied };
}

const getProduct = { httpMethod: 'GET', resource: '/products/{productId}', path: '/products/0b5a4f0e-8f0c-4d6e-9a51-3f3c2b1d4e5f', pathParameters: { productId: '0b5a4f0e-8f0c-4d6e-9a51-3f3c2b1d4e5f' }, headers: {}, requestContext: { requestId: 'r' } };

describe('IAM in a Lambda execution environment', { timeout: 30_000 }, () => {
  const services: LocalLambdaService[] = [];
  afterAll(() => Promise.all(services.map((service) => service.stop())));

  it('GetProductFunction without dynamodb:BatchGetItem: its BatchGetItem is refused with AccessDeniedException, named on the console', async () => {
    expect(TEMPLATE.split(GRANT)).toHaveLength(2);
    const { lambda, denied, iam } = lambdaFor(TEMPLATE.replace(GRANT, '      # CodeDeploy shifts'), 'GetProductFunction');
    services.push(lambda);
    const outcome = await lambda.invoke('GetProductFunction', getProduct);

    expect(denied).toEqual([
      {
        principal: 'GetProductFunction',
        role: 'GetProductFunctionRole',
        action: 'dynamodb:BatchGetItem',
        resource: TABLE,
        enforced: true,
        message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/GetProductFunctionRole/GetProductFunction is not authorized to perform: dynamodb:BatchGetItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:BatchGetItem action`,
      },
    ]);
    expect(iam.denials).toEqual(new Map([['GetProductFunction dynamodb:BatchGetItem', 1]]));
    // The handler saw AWS's error and answered as it would in AWS: a 5XX, nothing leaked.
    expect(outcome).toMatchObject({ kind: 'success', payload: { statusCode: 500 } });
  });

  it('with the grant, the same call is allowed (and fails only to reach the absent DynamoDB), and its use is recorded', async () => {
    const { lambda, denied, iam } = lambdaFor(TEMPLATE, 'GetProductFunction');
    services.push(lambda);
    await lambda.invoke('GetProductFunction', getProduct);
    expect(denied).toEqual([]);
    expect(iam.usage.usesOf('GetProductFunctionRole')).toEqual([{ action: 'dynamodb:BatchGetItem', resource: TABLE }]);
  });
});
