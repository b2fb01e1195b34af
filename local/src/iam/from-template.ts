import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { type CfnResource, type CfnTemplate, isRecord, TemplateError } from '../template/template-types.ts';
import { KNOWN_MANAGED_POLICIES, managedPolicyArn, managedPolicyDocument } from './managed-policies.ts';
import { list, type NamedPolicy, type PolicyDocument, statementsOf } from './policy-document.ts';

/**
 * The execution role each function and state machine will have after `sam deploy`, read from
 * the template the way the SAM translator builds it (samtranslator `model/sam_resources.py`
 * `_construct_role`, `model/stepfunctions/generators.py`, `model/eventsources/pull.py`,
 * `model/role_utils/role_constructor.py`):
 *
 * - a function without `Role` gets `<LogicalId>Role` with AWSLambdaBasicExecutionRole, the X-Ray
 *   write policy when `Tracing` is set and not `Disabled`, AWSLambdaVPCAccessExecutionRole with a
 *   `VpcConfig`, a `DeadLetterQueuePolicy` for `DeadLetterQueue`, one inline policy
 *   `<Role>Policy<index>` per statement document of `Policies` and each managed policy it names;
 *   then its events add the poller's managed policy (SQS, DynamoDB, Kinesis) and, for
 *   `DestinationConfig.OnFailure` with a `Type`, `<Function><Event><Type>Policy`;
 * - a state machine without `Role` gets `<LogicalId>Role` with its `Policies` and, when
 *   `Tracing.Enabled`, the X-Ray write policy (no basic execution policy);
 * - `Role: !GetAtt SomeRole.Arn` uses that `AWS::IAM::Role` (its `Policies`, `ManagedPolicyArns`
 *   and any `AWS::IAM::Policy` attached to it).
 *
 * Values are resolved with the caller's resolver, so ARNs are the local ones.
 */

export interface RoleUser {
  /** The function's or state machine's logical id. */
  logicalId: string;
  type: string;
  /** The role session name AWS uses: the function's name (Lambda), the execution's for Step Functions. */
  sessionName: string;
}

export interface InlinePolicy {
  name: string;
  document: PolicyDocument;
}

export interface ExecutionRole {
  /** `PlaceOrderFunctionRole` (generated) or the `AWS::IAM::Role`'s logical id. */
  logicalId: string;
  name: string;
  arn: string;
  /** The service principal of the trust policy (`lambda.amazonaws.com`, `states.amazonaws.com`). */
  assumedBy: string[];
  usedBy: RoleUser[];
  inlinePolicies: InlinePolicy[];
  managedPolicyArns: string[];
  /** A role from outside the template (`Role: arn:…`): its policies are unknown locally. */
  external: boolean;
}

export interface TemplateRoles {
  roles: ExecutionRole[];
  /** The role a function or state machine runs with. */
  roleOf(resourceLogicalId: string): ExecutionRole | undefined;
}

const FUNCTION = 'AWS::Serverless::Function';
const STATE_MACHINE = 'AWS::Serverless::StateMachine';

/** SAM's `aws` partition name for the X-Ray write policy (`model/xray_utils.py`). */
export const xrayPolicyName = (partition: string): string => (partition === 'aws' ? 'AWSXrayWriteOnlyAccess' : 'AWSXRayDaemonWriteAccess');

/** Managed policies SAM attaches for a function's pull event sources. */
const EVENT_SOURCE_POLICIES: Record<string, string> = {
  SQS: 'service-role/AWSLambdaSQSQueueExecutionRole',
  DynamoDB: 'service-role/AWSLambdaDynamoDBExecutionRole',
  Kinesis: 'service-role/AWSLambdaKinesisExecutionRole',
};

export function rolesFromTemplate(template: CfnTemplate, resolver: IntrinsicResolver): TemplateRoles {
  const { partition, accountId } = resolver.pseudo;
  const roleArn = (name: string) => `arn:${partition}:iam::${accountId}:role/${name}`;
  const resources = Object.entries(template.Resources).filter(([logicalId]) => resolver.isActive(logicalId));
  const roles = new Map<string, ExecutionRole>();
  const assignments = new Map<string, ExecutionRole>();

  for (const [logicalId, resource] of resources.filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
    roles.set(logicalId, explicitRole(logicalId, resource, resolver, roleArn));
  }
  for (const [, resource] of resources.filter(([, r]) => r.Type === 'AWS::IAM::Policy')) {
    attachIamPolicy(resource, resolver, roles);
  }

  for (const [logicalId, resource] of resources) {
    if (resource.Type !== FUNCTION && resource.Type !== STATE_MACHINE) continue;
    const properties = resource.Properties ?? {};
    const sessionName = sessionNameOf(logicalId, resource, resolver);
    const user: RoleUser = { logicalId, type: resource.Type, sessionName };
    let role: ExecutionRole;
    if (properties.Role !== undefined) {
      role = referencedRole(logicalId, properties.Role, template, resolver, roles);
    } else {
      role = resource.Type === FUNCTION ? functionRole(logicalId, properties, resolver, roleArn) : stateMachineRole(logicalId, properties, resolver, roleArn);
      roles.set(role.logicalId, role);
    }
    role.usedBy.push(user);
    assignments.set(logicalId, role);
  }
  // SAM's one role for CodeDeploy, once any function deploys with a DeploymentPreference of its own
  // (`model/preferences/deployment_preference_collection.py`); the local CodeDeploy runs hooks
  // without it, but it is part of what the stack deploys.
  const preferences = resources.filter(([, r]) => r.Type === FUNCTION && isRecord(r.Properties?.DeploymentPreference));
  if (preferences.some(([, r]) => (r.Properties?.DeploymentPreference as Record<string, unknown>).Role === undefined)) {
    roles.set('CodeDeployServiceRole', {
      logicalId: 'CodeDeployServiceRole',
      name: 'CodeDeployServiceRole',
      arn: roleArn('CodeDeployServiceRole'),
      assumedBy: ['codedeploy.amazonaws.com'],
      usedBy: [],
      inlinePolicies: [],
      managedPolicyArns: [`arn:${partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda`],
      external: false,
    });
  }
  return { roles: [...roles.values()], roleOf: (logicalId) => assignments.get(logicalId) };
}

/** Every policy the role holds, inline and managed; a managed policy with no local copy is named in `unknown`. */
export function policiesOf(role: ExecutionRole): { policies: NamedPolicy[]; unknown: string[] } {
  const inline: NamedPolicy[] = role.inlinePolicies.map(({ name, document }) => ({ name, kind: 'inline', document }));
  const managed: NamedPolicy[] = [];
  const unknown: string[] = [];
  for (const arn of role.managedPolicyArns) {
    const document = managedPolicyDocument(arn);
    if (document === undefined) unknown.push(arn);
    else managed.push({ name: arn, kind: 'managed', document });
  }
  return { policies: [...inline, ...managed], unknown };
}

function sessionNameOf(logicalId: string, resource: CfnResource, resolver: IntrinsicResolver): string {
  const nameProperty = resource.Type === FUNCTION ? 'FunctionName' : 'Name';
  const declared = resolver.resolve(resource.Properties?.[nameProperty]);
  return typeof declared === 'string' && declared !== '' ? declared : logicalId;
}

function newRole(logicalId: string, arn: (name: string) => string, assumedBy: string[]): ExecutionRole {
  return { logicalId, name: logicalId, arn: arn(logicalId), assumedBy, usedBy: [], inlinePolicies: [], managedPolicyArns: [], external: false };
}

function functionRole(logicalId: string, properties: Record<string, unknown>, resolver: IntrinsicResolver, arn: (name: string) => string): ExecutionRole {
  const { partition } = resolver.pseudo;
  const role = newRole(`${logicalId}Role`, arn, ['lambda.amazonaws.com']);
  if (properties.EventInvokeConfig !== undefined) {
    throw new TemplateError(`${logicalId}: EventInvokeConfig destinations are not modelled by the local IAM roles yet`);
  }
  role.managedPolicyArns.push(
    managedPolicyArn(properties.DurableConfig ? 'service-role/AWSLambdaBasicDurableExecutionRolePolicy' : 'service-role/AWSLambdaBasicExecutionRole', partition),
  );
  const tracing = resolver.resolve(properties.Tracing);
  if (tracing !== undefined && tracing !== 'Disabled') role.managedPolicyArns.push(managedPolicyArn(xrayPolicyName(partition), partition));
  if (properties.VpcConfig !== undefined) role.managedPolicyArns.push(managedPolicyArn('service-role/AWSLambdaVPCAccessExecutionRole', partition));

  const deadLetterQueue = resolver.resolve(properties.DeadLetterQueue);
  if (isRecord(deadLetterQueue)) {
    const action = deadLetterQueue.Type === 'SNS' ? 'sns:Publish' : 'sqs:SendMessage';
    role.inlinePolicies.push({
      name: 'DeadLetterQueuePolicy',
      document: { Version: '2012-10-17', Statement: [{ Action: action, Resource: String(deadLetterQueue.TargetArn), Effect: 'Allow' }] },
    });
  }
  addPolicies(logicalId, role, properties.Policies, resolver);

  for (const [eventName, event] of Object.entries(isRecord(properties.Events) ? properties.Events : {})) {
    if (!isRecord(event) || typeof event.Type !== 'string') continue;
    const policy = EVENT_SOURCE_POLICIES[event.Type];
    if (policy === undefined) continue;
    const policyArn = managedPolicyArn(policy, partition);
    if (!role.managedPolicyArns.includes(policyArn)) role.managedPolicyArns.push(policyArn);
    const eventProperties = isRecord(event.Properties) ? event.Properties : {};
    const onFailure = resolver.resolve(isRecord(eventProperties.DestinationConfig) ? eventProperties.DestinationConfig.OnFailure : undefined);
    if (isRecord(onFailure) && typeof onFailure.Type === 'string') {
      const destination = onFailureDestinationPolicy(`${logicalId}${eventName}`, onFailure.Type, onFailure.Destination);
      const sameDocument = role.inlinePolicies.some((existing) => JSON.stringify(existing.document) === JSON.stringify(destination?.document));
      if (destination !== undefined && !sameDocument) role.inlinePolicies.push(destination);
    }
  }
  return role;
}

/** What SAM grants for an event's `DestinationConfig.OnFailure` with a `Type` (`model/iam.py`). */
function onFailureDestinationPolicy(eventLogicalId: string, type: string, destination: unknown): InlinePolicy | undefined {
  const target = destination as string;
  switch (type) {
    case 'SQS':
      return { name: `${eventLogicalId}SQSPolicy`, document: { Statement: [{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: target }] } };
    case 'SNS':
      // SAM writes the action in lower case; IAM action names are case-insensitive.
      return { name: `${eventLogicalId}SNSPolicy`, document: { Statement: [{ Action: 'sns:publish', Effect: 'Allow', Resource: target }] } };
    case 'S3':
      return {
        name: `${eventLogicalId}S3Policy`,
        document: {
          Statement: [
            { Action: 's3:PutObject', Effect: 'Allow', Resource: `${target}/*` },
            { Action: 's3:ListBucket', Effect: 'Allow', Resource: target },
          ],
        },
      };
    default:
      return undefined;
  }
}

function stateMachineRole(logicalId: string, properties: Record<string, unknown>, resolver: IntrinsicResolver, arn: (name: string) => string): ExecutionRole {
  const role = newRole(`${logicalId}Role`, arn, ['states.amazonaws.com']);
  const tracing = resolver.resolve(properties.Tracing);
  const policies = [...list(properties.Policies as unknown[] | undefined)];
  if (isRecord(tracing) && tracing.Enabled === true) policies.push(xrayPolicyName(resolver.pseudo.partition));
  addPolicies(logicalId, role, policies, resolver);
  return role;
}

/**
 * A SAM `Policies` value: a managed policy name or ARN, a policy document (`Statement`), or a
 * SAM policy template (`{ DynamoDBCrudPolicy: { TableName: … } }`), alone or in a list.
 */
function addPolicies(owner: string, role: ExecutionRole, policies: unknown, resolver: IntrinsicResolver): void {
  const entries = list(policies as unknown[] | undefined);
  entries.forEach((entry, index) => {
    const resolved = resolver.resolve(entry);
    if (resolved === undefined) return; // an `!If` that chose AWS::NoValue
    if (typeof resolved === 'string') {
      const arn = managedPolicyArnFor(resolved, resolver.pseudo.partition);
      if (!role.managedPolicyArns.includes(arn)) role.managedPolicyArns.push(arn);
    } else if (isRecord(resolved) && 'Statement' in resolved) {
      role.inlinePolicies.push({ name: `${role.logicalId}Policy${index}`, document: resolved as unknown as PolicyDocument });
    } else if (isRecord(resolved)) {
      const [name] = Object.keys(resolved);
      throw new TemplateError(
        `${owner}: Policies[${index}] uses the SAM policy template ${name}, which the local cloud does not expand: ` +
          'write its statements out, or add the template to local/src/iam/from-template.ts',
      );
    }
  });
}

/** SAM turns a managed policy name into its ARN; an ARN stays as it is. */
function managedPolicyArnFor(nameOrArn: string, partition: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const known = KNOWN_MANAGED_POLICIES.find((path) => path === nameOrArn || path.endsWith(`/${nameOrArn}`));
  return managedPolicyArn(known ?? nameOrArn, partition);
}

function explicitRole(logicalId: string, resource: CfnResource, resolver: IntrinsicResolver, arn: (name: string) => string): ExecutionRole {
  const properties = resource.Properties ?? {};
  const declaredName = resolver.resolve(properties.RoleName);
  const name = typeof declaredName === 'string' ? declaredName : logicalId;
  const trust = resolver.resolve(properties.AssumeRolePolicyDocument);
  const assumedBy = isRecord(trust)
    ? statementsOf(trust as unknown as PolicyDocument).flatMap((statement) => (statement.Principal === '*' || statement.Principal === undefined ? [] : list(statement.Principal.Service)))
    : [];
  const role: ExecutionRole = { ...newRole(logicalId, arn, assumedBy), name, arn: arn(name) };
  for (const policy of list(resolver.resolve(properties.Policies) as unknown[] | undefined)) {
    if (isRecord(policy)) role.inlinePolicies.push({ name: String(policy.PolicyName), document: policy.PolicyDocument as PolicyDocument });
  }
  role.managedPolicyArns.push(...list(resolver.resolve(properties.ManagedPolicyArns) as string[] | undefined).map(String));
  return role;
}

function attachIamPolicy(resource: CfnResource, resolver: IntrinsicResolver, roles: Map<string, ExecutionRole>): void {
  const properties = resource.Properties ?? {};
  const document = resolver.resolve(properties.PolicyDocument) as PolicyDocument;
  for (const reference of list(properties.Roles as unknown[] | undefined)) {
    const logicalId = isRecord(reference) && typeof reference.Ref === 'string' ? reference.Ref : undefined;
    const role = logicalId === undefined ? undefined : roles.get(logicalId);
    role?.inlinePolicies.push({ name: String(resolver.resolve(properties.PolicyName)), document });
  }
}

function referencedRole(owner: string, reference: unknown, template: CfnTemplate, resolver: IntrinsicResolver, roles: Map<string, ExecutionRole>): ExecutionRole {
  const target = roleLogicalIdIn(reference);
  if (target !== undefined && template.Resources[target]?.Type === 'AWS::IAM::Role') {
    const role = roles.get(target);
    if (role === undefined) throw new TemplateError(`${owner}: its Role ${target} is not created (its Condition is false)`);
    return role;
  }
  const arn = String(resolver.resolve(reference));
  const name = arn.split('/').pop() ?? arn;
  return { logicalId: name, name, arn, assumedBy: [], usedBy: [], inlinePolicies: [], managedPolicyArns: [], external: true };
}

/** `!GetAtt X.Arn`, `!Sub '${X.Arn}'` → X. */
function roleLogicalIdIn(reference: unknown): string | undefined {
  if (!isRecord(reference)) return undefined;
  const getAtt = reference['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return String(getAtt[0]);
  const sub = reference['Fn::Sub'];
  if (typeof sub === 'string') return /^\$\{([^.}]+)\.Arn\}$/.exec(sub)?.[1];
  return undefined;
}
