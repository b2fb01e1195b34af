import type { Decision } from './evaluate.ts';

/**
 * The error AWS returns when IAM denies a call, in the shape each service uses. The message is
 * the one IAM writes (IAM User Guide, "Troubleshoot access denied error messages"):
 *
 *   User: <principal> is not authorized to perform: <action> on resource: <arn>
 *     because no identity-based policy allows the <action> action
 *   User: <principal> is not authorized to perform: <action> on resource: <arn>
 *     with an explicit deny in an identity-based policy
 */

export interface AccessDenied {
  /** HTTP status of the service's response. */
  status: number;
  /** The error code the SDK turns into the error's `name`. */
  code: string;
  /** The JSON protocols' `__type`. */
  type: string;
  message: string;
}

interface ServiceShape {
  status: number;
  code: string;
  type: string;
  /** How the service writes the action in its message (SNS upper-cases its prefix). */
  action?: (action: string) => string;
}

const COMMON: ServiceShape = { status: 400, code: 'AccessDeniedException', type: 'com.amazon.coral.service#AccessDeniedException' };

const SHAPES: Record<string, ServiceShape> = {
  dynamodb: COMMON,
  states: COMMON,
  // SQS (JSON protocol) answers 403 with the coral type; the SDK names the error AccessDeniedException.
  sqs: { ...COMMON, status: 403 },
  lambda: { ...COMMON, status: 403, type: 'AccessDeniedException' },
  kms: { ...COMMON, type: 'AccessDeniedException' },
  // SNS (query protocol): 403 AuthorizationError, the action written `SNS:Publish`.
  sns: { status: 403, code: 'AuthorizationError', type: 'AuthorizationError', action: (action) => action.replace(/^sns:/i, 'SNS:') },
};

export function accessDenied(input: { principalArn: string; action: string; resource: string; decision: Extract<Decision, { allowed: false }> }): AccessDenied {
  const prefix = input.action.split(':')[0]!.toLowerCase();
  const shape = SHAPES[prefix] ?? COMMON;
  const action = shape.action?.(input.action) ?? input.action;
  const because = input.decision.explicit
    ? `with an explicit deny in ${input.decision.by.kind === 'identity' ? 'an identity-based' : 'a resource-based'} policy`
    : `because no ${input.decision.missing === 'identity' ? 'identity-based' : 'resource-based'} policy allows the ${action} action`;
  return {
    status: shape.status,
    code: shape.code,
    type: shape.type,
    message: `User: ${input.principalArn} is not authorized to perform: ${action} on resource: ${input.resource} ${because}`,
  };
}

/**
 * The same error as the AWS SDK v3 throws it after parsing the response: `name` is the code,
 * `$fault` is `client`, `$metadata.httpStatusCode` the status, so handler code that inspects
 * `error.name` or the status code sees what it would in AWS.
 */
export class AccessDeniedError extends Error {
  readonly $fault = 'client' as const;
  readonly $metadata: { httpStatusCode: number };
  readonly __type: string;
  readonly Code: string;

  constructor(readonly denied: AccessDenied) {
    super(denied.message);
    this.name = denied.code;
    this.Code = denied.code;
    this.__type = denied.type;
    this.$metadata = { httpStatusCode: denied.status };
  }
}
