import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { type CfnTemplate, isRecord } from '../template/template-types.ts';
import { type Decision, evaluate } from './evaluate.ts';
import { list, type NamedPolicy, type PolicyDocument } from './policy-document.ts';

/**
 * The template's resource-based policies, by the ARN of the resource they protect: queue
 * policies (`AWS::SQS::QueuePolicy`), topic policies (`AWS::SNS::TopicPolicy`) and key policies
 * (`AWS::KMS::Key`). They decide what services may do with the resources: SNS delivering to a
 * queue, CloudWatch publishing an alarm to an encrypted topic.
 */
export interface ResourcePolicies {
  /** The policies attached to a resource (none: an empty list). */
  of(resourceArn: string): NamedPolicy[];
  /** The key a topic is encrypted with, when it is a key of this template (not an AWS managed alias). */
  topicKeyArn(topicArn: string): string | undefined;
  /** Plain data, to hand to a worker thread (`resourcePoliciesFromSnapshot`). */
  snapshot(): ResourcePoliciesSnapshot;
}

export interface ResourcePoliciesSnapshot {
  byArn: Record<string, NamedPolicy[]>;
  topicKeys: Record<string, string>;
}

export function resourcePoliciesFromSnapshot(snapshot: ResourcePoliciesSnapshot): ResourcePolicies {
  return {
    of: (arn) => snapshot.byArn[arn] ?? [],
    topicKeyArn: (topicArn) => snapshot.topicKeys[topicArn],
    snapshot: () => snapshot,
  };
}

export function resourcePoliciesFromTemplate(template: CfnTemplate, resolver: IntrinsicResolver): ResourcePolicies {
  const { partition, region, accountId } = resolver.pseudo;
  const byArn = new Map<string, NamedPolicy[]>();
  const attach = (arn: string, policy: NamedPolicy) => byArn.set(arn, [...(byArn.get(arn) ?? []), policy]);
  // The key's ARN as the template's `!GetAtt Key.Arn` resolves, so grants written that way match it.
  const keyArn = (logicalId: string) => String(resolver.resolve({ 'Fn::GetAtt': [logicalId, 'Arn'] }));
  const topicKeys = new Map<string, string>();

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!resolver.isActive(logicalId)) continue;
    const properties = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::SQS::QueuePolicy': {
        const document = resolver.resolve(properties.PolicyDocument) as PolicyDocument;
        for (const url of list(resolver.resolve(properties.Queues) as string[] | undefined)) {
          const match = /\/(\d{12})\/([^/]+)\/?$/.exec(url);
          if (match) attach(`arn:${partition}:sqs:${region}:${match[1]}:${match[2]}`, { name: logicalId, kind: 'inline', document });
        }
        break;
      }
      case 'AWS::SNS::TopicPolicy': {
        const document = resolver.resolve(properties.PolicyDocument) as PolicyDocument;
        for (const topicArn of list(resolver.resolve(properties.Topics) as string[] | undefined)) {
          attach(topicArn, { name: logicalId, kind: 'inline', document });
        }
        break;
      }
      case 'AWS::KMS::Key':
        attach(keyArn(logicalId), { name: logicalId, kind: 'inline', document: resolver.resolve(properties.KeyPolicy) as PolicyDocument });
        break;
      case 'AWS::SNS::Topic': {
        const key = properties.KmsMasterKeyId;
        const keyId = isRecord(key) && typeof key.Ref === 'string' ? key.Ref : undefined;
        if (keyId !== undefined && template.Resources[keyId]?.Type === 'AWS::KMS::Key') {
          topicKeys.set(resolver.resolve({ Ref: logicalId }) as string, keyArn(keyId));
        }
        break;
      }
    }
  }
  return resourcePoliciesFromSnapshot({ byArn: Object.fromEntries(byArn), topicKeys: Object.fromEntries(topicKeys) });
}

export interface ServiceDelivery {
  /** `sns.amazonaws.com`, `cloudwatch.amazonaws.com`, … */
  service: string;
  action: string;
  resource: string;
  /** The resource on whose behalf the service acts (the topic, the alarm): `aws:SourceArn`. */
  sourceArn: string;
  /** `aws:SourceAccount`: the account of the source resource. */
  sourceAccount: string;
}

/** Whether a service may act on a resource: only the resource's own policy can allow it. */
export function authorizeServiceDelivery(delivery: ServiceDelivery, policies: ResourcePolicies): Decision {
  return evaluate(
    {
      principal: { kind: 'service', service: delivery.service },
      action: delivery.action,
      resource: delivery.resource,
      context: { 'aws:SourceArn': delivery.sourceArn, 'aws:SourceAccount': delivery.sourceAccount },
    },
    { resource: policies.of(delivery.resource) },
  );
}

/** SNS delivering a message from a topic to a subscribed queue: the queue policy decides. */
export function snsMayDeliverToQueue(topicArn: string, queueArn: string, policies: ResourcePolicies): Decision {
  return authorizeServiceDelivery(
    { service: 'sns.amazonaws.com', action: 'sqs:SendMessage', resource: queueArn, sourceArn: topicArn, sourceAccount: accountOf(topicArn) },
    policies,
  );
}

/**
 * A CloudWatch alarm publishing to a topic: the topic policy must allow `sns:Publish`, and when
 * the topic is encrypted with a key of the template, the key policy must let CloudWatch use it
 * (`kms:GenerateDataKey*` and `kms:Decrypt`, as the SNS developer guide lists for encrypted topics).
 * The first decision that denies is returned, with the resource it concerns.
 */
export function alarmMayPublish(alarmArn: string, topicArn: string, policies: ResourcePolicies): { decision: Decision; resource: string; action: string } {
  const sourceAccount = accountOf(alarmArn);
  const service = 'cloudwatch.amazonaws.com';
  const checks = [{ action: 'sns:Publish', resource: topicArn }];
  const key = policies.topicKeyArn(topicArn);
  if (key !== undefined) checks.push({ action: 'kms:GenerateDataKey', resource: key }, { action: 'kms:Decrypt', resource: key });
  let last: { decision: Decision; resource: string; action: string } | undefined;
  for (const check of checks) {
    const decision = authorizeServiceDelivery({ service, ...check, sourceArn: alarmArn, sourceAccount }, policies);
    last = { decision, ...check };
    if (!decision.allowed) return last;
  }
  return last!;
}

const accountOf = (arn: string): string => arn.split(':')[4] ?? '';
