import type { IntrinsicResolver } from '../template/intrinsics.ts';
import type { CfnTemplate } from '../template/template-types.ts';
import { type AccessDenied, accessDenied } from './access-denied.ts';
import { type Decision, evaluate, type RequestContext } from './evaluate.ts';
import { type ExecutionRole, policiesOf, rolesFromTemplate, type TemplateRoles } from './from-template.ts';
import { list, type NamedPolicy, type PolicyDocument, type Statement, statementsOf } from './policy-document.ts';
import {
  alarmMayPublish,
  type ResourcePolicies,
  type ResourcePoliciesSnapshot,
  resourcePoliciesFromSnapshot,
  resourcePoliciesFromTemplate,
  snsMayDeliverToQueue,
} from './resource-policies.ts';
import { authorizationChecks, type AuthorizationCheck, type Location, type SdkCall, stepFunctionsTaskChecks } from './sdk-requests.ts';
import { UsageRecorder } from './usage.ts';

/**
 * IAM for the local cloud: every call a function or the state machine makes is evaluated against
 * the execution role it will have in AWS, with the resource's own policy where it has one. A call
 * AWS would deny fails with AWS's error; an allowed one is recorded for the unused-grant report.
 *
 * `LOCAL_IAM=off` turns enforcement off (calls are still recorded), for someone debugging a
 * handler who does not want IAM in the way.
 */

export interface AuthorizeRequest {
  /** The function's or state machine's logical id. */
  principal: string;
  action: string;
  resource: string;
  context?: RequestContext;
}

export type AuthorizeResult =
  | { allowed: true; decision: Decision }
  /** `enforced: false`: AWS would deny it, but enforcement is off and the call goes ahead. */
  | { allowed: false; enforced: boolean; decision: Decision; denied: AccessDenied };

export interface DeniedCall {
  principal: string;
  role: string;
  action: string;
  resource: string;
  message: string;
  enforced: boolean;
}

export interface IamSnapshot {
  roles: ExecutionRole[];
  /** Function/state machine logical id → role logical id. */
  assignments: Record<string, string>;
  resourcePolicies: ResourcePoliciesSnapshot;
  location: Location;
  enforce: boolean;
}

export interface LocalIamOptions {
  /** Defaults to `iamEnforced(process.env)`. */
  enforce?: boolean;
  usage?: UsageRecorder;
  /** Called for each denied call (the local cloud's console names function, action and resource). */
  onDenied?: (call: DeniedCall) => void;
}

/** On unless `LOCAL_IAM` is `off` (or `false`, `0`). */
export function iamEnforced(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.LOCAL_IAM?.trim().toLowerCase();
  return !(value === 'off' || value === 'false' || value === '0');
}

export class LocalIam {
  readonly enforce: boolean;
  readonly usage: UsageRecorder;
  private readonly onDenied: ((call: DeniedCall) => void) | undefined;
  private readonly identity = new Map<string, NamedPolicy[]>();
  /** Denied calls by `<principal> <action>`, those made in Lambda workers included (see `recordDenial`). */
  readonly denials = new Map<string, number>();

  constructor(
    readonly roles: TemplateRoles,
    readonly resourcePolicies: ResourcePolicies,
    readonly location: Location,
    options: LocalIamOptions = {},
  ) {
    this.enforce = options.enforce ?? iamEnforced();
    this.usage = options.usage ?? new UsageRecorder();
    this.onDenied = options.onDenied;
    for (const role of roles.roles) {
      const { policies, unknown } = policiesOf(role);
      // A role no function or state machine runs with (API Gateway's logging role) is never evaluated.
      if (unknown.length > 0 && role.usedBy.length > 0) {
        throw new Error(`${role.logicalId}: the local cloud has no copy of the managed policies ${unknown.join(', ')} (add them to local/src/iam/managed-policies.ts)`);
      }
      this.identity.set(role.logicalId, policies.map((policy) => ({ ...policy, document: withResources(policy.document, (arn) => this.canonicalArn(arn)) })));
    }
  }

  /** Rebuilds the engine from `snapshot()` (plain data), e.g. inside a Lambda worker thread. */
  static fromSnapshot(snapshot: IamSnapshot, options: LocalIamOptions = {}): LocalIam {
    const byLogicalId = new Map(snapshot.roles.map((role) => [role.logicalId, role]));
    const roles: TemplateRoles = {
      roles: snapshot.roles,
      roleOf: (logicalId) => {
        const roleId = snapshot.assignments[logicalId];
        return roleId === undefined ? undefined : byLogicalId.get(roleId);
      },
    };
    return new LocalIam(roles, resourcePoliciesFromSnapshot(snapshot.resourcePolicies), snapshot.location, { enforce: snapshot.enforce, ...options });
  }

  /** Everything the engine decides with, as plain data (structured-clone safe). */
  snapshot(): IamSnapshot {
    const assignments: Record<string, string> = {};
    for (const role of this.roles.roles) for (const user of role.usedBy) assignments[user.logicalId] = role.logicalId;
    return { roles: this.roles.roles, assignments, resourcePolicies: this.resourcePolicies.snapshot(), location: this.location, enforce: this.enforce };
  }

  static fromTemplate(template: CfnTemplate, resolver: IntrinsicResolver, options: LocalIamOptions = {}): LocalIam {
    const { partition, region, accountId } = resolver.pseudo;
    return new LocalIam(rolesFromTemplate(template, resolver), resourcePoliciesFromTemplate(template, resolver), { partition, region, accountId }, options);
  }

  /**
   * The roles with every resource written the way calls are recorded (`canonicalArn`): what the
   * unused-grant report compares the usage with.
   */
  canonicalRoles(): ExecutionRole[] {
    return this.roles.roles.map((role) => ({
      ...role,
      inlinePolicies: role.inlinePolicies.map((policy) => ({ ...policy, document: withResources(policy.document, (arn) => this.canonicalArn(arn)) })),
    }));
  }

  roleOf(principal: string): ExecutionRole {
    const role = this.roles.roleOf(principal);
    if (role === undefined) throw new Error(`${principal} is neither a function nor a state machine of the template: it has no execution role`);
    return role;
  }

  /** `arn:aws:sts::000000000000:assumed-role/<role>/<session>`: who AWS says made the call. */
  sessionArn(principal: string): string {
    const role = this.roleOf(principal);
    const session = role.usedBy.find((user) => user.logicalId === principal)?.sessionName ?? principal;
    return `arn:${this.location.partition}:sts::${this.location.accountId}:assumed-role/${role.name}/${session}`;
  }

  /**
   * DynamoDB Local names its tables and streams in region `ddblocal`: a table ARN registered from
   * it and one built from a call's `TableName` must compare equal, so both use the local region.
   */
  canonicalArn(arn: string): string {
    return arn.replace(/^(arn:[^:]+:dynamodb:)ddblocal:/, `$1${this.location.region}:`);
  }

  authorize(input: AuthorizeRequest): AuthorizeResult {
    const request = { ...input, resource: this.canonicalArn(input.resource) };
    const role = this.roleOf(request.principal);
    if (role.external) {
      // A role from outside the template: its policies are unknown here, so nothing can be decided.
      const decision: Decision = { allowed: true, by: { policy: role.arn, kind: 'identity', statement: { Effect: 'Allow', Action: '*', Resource: '*' } } };
      return { allowed: true, decision };
    }
    const sessionArn = this.sessionArn(request.principal);
    const resourcePolicies = this.resourcePolicies.of(request.resource);
    // A KMS key's policy is where its permissions start: the role's own policies count only when
    // the key policy hands the key to the account's IAM (an Allow for the account root).
    const identityPolicies = request.action.toLowerCase().startsWith('kms:') && resourcePolicies.length > 0 && !delegatesToIam(resourcePolicies, this.location)
      ? []
      : (this.identity.get(role.logicalId) ?? []);
    const decision = evaluate(
      {
        principal: { kind: 'role', roleArn: role.arn, sessionArn, account: this.location.accountId },
        action: request.action,
        resource: request.resource,
        context: {
          'aws:PrincipalArn': role.arn,
          'aws:PrincipalAccount': this.location.accountId,
          'aws:RequestedRegion': this.location.region,
          ...request.context,
        },
      },
      { identity: identityPolicies, resource: resourcePolicies },
    );
    if (decision.allowed) {
      this.usage.record(role.logicalId, { action: request.action, resource: request.resource });
      return { allowed: true, decision };
    }
    const denied = accessDenied({ principalArn: sessionArn, action: request.action, resource: request.resource, decision });
    const call = { principal: request.principal, role: role.logicalId, action: request.action, resource: request.resource, message: denied.message, enforced: this.enforce };
    this.recordDenial(call);
    this.onDenied?.(call);
    // Not enforced: the call goes ahead, and what it used still counts as used.
    if (!this.enforce) this.usage.record(role.logicalId, { action: request.action, resource: request.resource });
    return { allowed: false, enforced: this.enforce, decision, denied };
  }

  /** Counts a denied call, here or in a Lambda worker (which reports it as an `iam-denied` message). */
  recordDenial(call: DeniedCall): void {
    const key = `${call.principal} ${call.action}`;
    this.denials.set(key, (this.denials.get(key) ?? 0) + 1);
  }

  /**
   * Every check an SDK call needs (a transaction: one per item); the first denial, or undefined
   * when the call may go ahead.
   */
  authorizeSdkCall(principal: string, call: SdkCall): AccessDenied | undefined {
    return this.firstDenial(principal, authorizationChecks(call, this.location).flatMap((check) => [check, ...this.impliedKeyChecks(check)]));
  }

  /**
   * Publishing to a topic encrypted with a key of the template also uses the key: SNS asks KMS
   * for a data key with the publisher's permissions (`kms:GenerateDataKey*` and `kms:Decrypt`,
   * SNS Developer Guide, "Encryption at rest"). A topic with the AWS managed `alias/aws/sns` key
   * needs nothing: that key's policy lets every principal of the account use it through SNS.
   */
  private impliedKeyChecks(check: AuthorizationCheck): AuthorizationCheck[] {
    if (check.action.toLowerCase() !== 'sns:publish') return [];
    const key = this.resourcePolicies.topicKeyArn(check.resource);
    if (key === undefined) return [];
    const context = { ...check.context, 'kms:ViaService': `sns.${this.location.region}.amazonaws.com` };
    return [
      { action: 'kms:GenerateDataKey', resource: key, context },
      { action: 'kms:Decrypt', resource: key, context },
    ];
  }

  /**
   * A state machine's Task state (`arn:aws:states:::lambda:invoke`, `…:dynamodb:updateItem`, …)
   * with its resolved `Parameters`, under the state machine's role: the first denial, or
   * undefined. A Task resource this cannot map goes ahead unchecked.
   */
  authorizeTask(stateMachine: string, taskResource: string, parameters: Record<string, unknown>): AccessDenied | undefined {
    return this.firstDenial(stateMachine, stepFunctionsTaskChecks(taskResource, parameters, this.location) ?? []);
  }

  /**
   * Calls an AWS service makes with the principal's role on its behalf, such as a Lambda event
   * source mapping reading its queue or stream: the first denial, or undefined.
   */
  authorizeOnBehalfOf(principal: string, checks: Array<{ action: string; resource: string }>): AccessDenied | undefined {
    return this.firstDenial(principal, checks.map((check) => ({ ...check, context: {} })));
  }

  private firstDenial(principal: string, checks: AuthorizationCheck[]): AccessDenied | undefined {
    for (const check of checks) {
      const result = this.authorize({ principal, ...check });
      if (!result.allowed && result.enforced) return result.denied;
    }
    return undefined;
  }

  /** SNS delivering to a subscribed queue, as the queue policy decides (subscriptions with the queue as endpoint). */
  snsMayDeliverToQueue(topicArn: string, queueArn: string): Decision {
    return snsMayDeliverToQueue(topicArn, queueArn, this.resourcePolicies);
  }

  /** A CloudWatch alarm publishing to its action topic: topic policy, and key policy when the topic has a key of ours. */
  alarmMayPublish(alarmArn: string, topicArn: string): ReturnType<typeof alarmMayPublish> {
    return alarmMayPublish(alarmArn, topicArn, this.resourcePolicies);
  }
}

/** The document with `fn` applied to each `Resource`/`NotResource` entry. */
function withResources(document: PolicyDocument, fn: (arn: string) => string): PolicyDocument {
  const mapped = (value: string | string[] | undefined) => (value === undefined ? undefined : Array.isArray(value) ? value.map(fn) : fn(value));
  return {
    ...document,
    Statement: statementsOf(document).map((statement) => {
      const copy: Statement = { ...statement };
      if (statement.Resource !== undefined) copy.Resource = mapped(statement.Resource);
      if (statement.NotResource !== undefined) copy.NotResource = mapped(statement.NotResource);
      return copy;
    }),
  };
}

/** Whether a key policy allows the account itself (`arn:aws:iam::<account>:root` or the bare account id). */
function delegatesToIam(keyPolicies: NamedPolicy[], location: Location): boolean {
  const account = new Set([location.accountId, `arn:${location.partition}:iam::${location.accountId}:root`]);
  return keyPolicies.some((policy) =>
    statementsOf(policy.document).some(
      (statement) => statement.Effect === 'Allow' && statement.Principal !== undefined && statement.Principal !== '*' && list(statement.Principal.AWS).some((value) => account.has(value)),
    ),
  );
}

/** The console line for a denied call: the function, the action and the resource, then AWS's message. */
export function formatDeniedCall(call: DeniedCall): string {
  const outcome = call.enforced ? 'denied' : 'would be denied in AWS (LOCAL_IAM=off lets it through)';
  return `IAM: ${call.principal} ${call.action} on ${call.resource} ${outcome}. ${call.message}`;
}
