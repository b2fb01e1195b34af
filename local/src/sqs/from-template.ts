import type { QueueSettings } from './queue.ts';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { resourcesOfType } from '../template/load-template.ts';
import type { ResourceRegistry } from '../template/resource-registry.ts';
import { type CfnTemplate, TemplateError } from '../template/template-types.ts';
import { optionalBoolean, optionalDocument, optionalInteger, optionalString } from '../template/property-values.ts';

/** One `AWS::SQS::Queue` of the template, as the local SQS service creates it. */
export interface QueueDefinition {
  logicalId: string;
  /** `QueueName` if the template sets one, else the logical id. */
  name: string;
  arn: string;
  /** The queue URL on the local SQS endpoint: what `!Ref` gives. */
  url: string;
  /** Only what the template sets; the queue's defaults are SQS's. */
  settings: Partial<QueueSettings>;
  /** From `RedrivePolicy`: the template queue that receives this queue's dead letters. */
  deadLetterQueue?: { logicalId: string; maxReceiveCount: number };
}

/** Where the local SQS service lives and whose queues these are. */
export interface QueueNaming {
  endpoint: string;
  accountId: string;
  region: string;
}

/** Properties with no local effect: encryption is at rest, on a machine that keeps nothing. */
const WITHOUT_LOCAL_EFFECT = new Set(['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled', 'Tags', 'RedriveAllowPolicy', 'QueueName', 'FifoQueue']);
const SETTINGS: ReadonlyArray<[property: string, setting: Exclude<keyof QueueSettings, 'redrivePolicy'>]> = [
  ['VisibilityTimeout', 'visibilityTimeout'],
  ['DelaySeconds', 'delaySeconds'],
  ['MessageRetentionPeriod', 'messageRetentionPeriod'],
  ['MaximumMessageSize', 'maximumMessageSize'],
  ['ReceiveMessageWaitTimeSeconds', 'receiveMessageWaitTimeSeconds'],
];

export const sqsQueueArn = (naming: Omit<QueueNaming, 'endpoint'>, name: string) => `arn:aws:sqs:${naming.region}:${naming.accountId}:${name}`;
export const sqsQueueUrl = (naming: QueueNaming, name: string) => `${naming.endpoint.replace(/\/+$/, '')}/${naming.accountId}/${name}`;

/**
 * Reads every active `AWS::SQS::Queue` and registers its local values (Ref = the local queue
 * URL; `Arn`, `QueueName`, `QueueUrl`), all before any property is resolved, so a
 * `RedrivePolicy` with `!GetAtt SomeDLQ.Arn` resolves to the local DLQ whatever the order.
 */
export function readQueueDefinitions(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
  registry: ResourceRegistry,
  naming: QueueNaming,
): QueueDefinition[] {
  const resources = resourcesOfType(template, 'AWS::SQS::Queue').filter(([logicalId]) => resolver.isActive(logicalId));
  const named = resources.map(([logicalId, resource]) => {
    const raw = resource.Properties ?? {};
    const name = optionalString(logicalId, { QueueName: resolver.resolve(raw.QueueName) }, 'QueueName') ?? logicalId;
    const fifo = optionalBoolean(logicalId, { FifoQueue: resolver.resolve(raw.FifoQueue) }, 'FifoQueue');
    if (fifo === true || name.endsWith('.fifo')) {
      throw new TemplateError(`${logicalId}: FIFO queues are not emulated by the local cloud`);
    }
    const url = sqsQueueUrl(naming, name);
    const arn = sqsQueueArn(naming, name);
    registry.register(logicalId, { ref: url, attributes: { Arn: arn, QueueName: name, QueueUrl: url } });
    return { logicalId, name, arn, url, raw };
  });

  const byArn = new Map(named.map((queue) => [queue.arn, queue.logicalId]));
  const resolved = new Map(named.map(({ logicalId, raw }) => [logicalId, resolver.resolve(raw) as Record<string, unknown>]));
  return named.map(({ logicalId, name, arn, url }) => {
    const properties = resolved.get(logicalId) ?? {};
    const settings: Partial<QueueSettings> = {};
    for (const [property, setting] of SETTINGS) {
      const value = optionalInteger(logicalId, properties, property);
      if (value !== undefined) settings[setting] = value;
    }
    for (const property of Object.keys(properties)) {
      if (!WITHOUT_LOCAL_EFFECT.has(property) && property !== 'RedrivePolicy' && !SETTINGS.some(([known]) => known === property)) {
        throw new TemplateError(`${logicalId}: ${property} is not supported by the local cloud's SQS`);
      }
    }
    const definition: QueueDefinition = { logicalId, name, arn, url, settings };
    const redrive = optionalDocument(logicalId, properties, 'RedrivePolicy');
    if (redrive !== undefined) {
      const target = optionalString(logicalId, redrive, 'deadLetterTargetArn');
      const maxReceiveCount = optionalInteger(logicalId, redrive, 'maxReceiveCount');
      if (target === undefined || maxReceiveCount === undefined) {
        throw new TemplateError(`${logicalId}: RedrivePolicy needs deadLetterTargetArn and maxReceiveCount`);
      }
      const deadLetterLogicalId = byArn.get(target);
      if (deadLetterLogicalId === undefined) {
        throw new TemplateError(`${logicalId}: RedrivePolicy.deadLetterTargetArn ${target} is not a queue of this template`);
      }
      if (deadLetterLogicalId === logicalId) throw new TemplateError(`${logicalId}: a queue cannot be its own dead-letter queue`);
      checkRedriveAllowed(deadLetterLogicalId, resolved.get(deadLetterLogicalId) ?? {}, logicalId, arn);
      settings.redrivePolicy = { deadLetterTargetArn: target, maxReceiveCount };
      definition.deadLetterQueue = { logicalId: deadLetterLogicalId, maxReceiveCount };
    }
    return definition;
  });
}

/** A DLQ's `RedriveAllowPolicy` says which queues may use it; SQS refuses the others' RedrivePolicy. */
function checkRedriveAllowed(deadLetterLogicalId: string, properties: Record<string, unknown>, sourceLogicalId: string, sourceArn: string): void {
  const policy = optionalDocument(deadLetterLogicalId, properties, 'RedriveAllowPolicy');
  const permission = policy === undefined ? 'allowAll' : optionalString(deadLetterLogicalId, policy, 'redrivePermission');
  const sources = Array.isArray(policy?.sourceQueueArns) ? policy.sourceQueueArns : [];
  const allowed = permission === 'allowAll' || (permission === 'byQueue' && sources.includes(sourceArn));
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw new TemplateError(`${deadLetterLogicalId}: RedriveAllowPolicy.redrivePermission must be allowAll, denyAll or byQueue, got ${JSON.stringify(permission)}`);
  }
  if (!allowed) {
    throw new TemplateError(`${sourceLogicalId}: RedrivePolicy names ${deadLetterLogicalId}, whose RedriveAllowPolicy (${permission}) does not allow it as a dead-letter queue`);
  }
}
