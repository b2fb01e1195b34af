import { escapeXml } from '../core/aws-query-protocol.ts';
import type { PublishBatchEntry, PublishBatchResult } from './topic.ts';
import type { PublishInput, SnsMessageAttributes } from './topic-validation.ts';

/**
 * SNS's members in the query protocol (core/aws-query-protocol.ts): flattened lists and maps in
 * requests (`MessageAttributes.entry.1.Name`), the results of Publish and PublishBatch.
 */

export type QueryParams = URLSearchParams;

/** Reads `<prefix>.entry.N.Name` / `.Value.DataType|StringValue|BinaryValue` until N runs out. */
export function readMessageAttributes(params: QueryParams, prefix: string): SnsMessageAttributes {
  const attributes: SnsMessageAttributes = {};
  for (let n = 1; ; n++) {
    const entry = `${prefix}.entry.${n}`;
    const name = params.get(`${entry}.Name`);
    if (name === null) break;
    const stringValue = params.get(`${entry}.Value.StringValue`);
    const binaryValue = params.get(`${entry}.Value.BinaryValue`);
    attributes[name] = {
      DataType: params.get(`${entry}.Value.DataType`) ?? '',
      ...(stringValue !== null && { StringValue: stringValue }),
      ...(binaryValue !== null && { BinaryValue: new Uint8Array(Buffer.from(binaryValue, 'base64')) }),
    };
  }
  return attributes;
}

export function readPublishInput(params: QueryParams, prefix = ''): PublishInput {
  const field = (name: string) => params.get(`${prefix}${name}`) ?? undefined;
  return {
    message: field('Message') ?? '',
    subject: field('Subject'),
    messageStructure: field('MessageStructure'),
    messageAttributes: readMessageAttributes(params, `${prefix}MessageAttributes`),
  };
}

/** `PublishBatchRequestEntries.member.N.*`, in order, until N runs out. */
export function readBatchEntries(params: QueryParams): PublishBatchEntry[] {
  const entries: PublishBatchEntry[] = [];
  for (let n = 1; ; n++) {
    const prefix = `PublishBatchRequestEntries.member.${n}.`;
    const hasAny = [...params.keys()].some((key) => key.startsWith(prefix));
    if (!hasAny) break;
    entries.push({ id: params.get(`${prefix}Id`) ?? '', ...readPublishInput(params, prefix) });
  }
  return entries;
}

export function publishResultXml(messageId: string): string {
  return `<MessageId>${escapeXml(messageId)}</MessageId>`;
}

export function publishBatchResultXml(result: PublishBatchResult): string {
  const successful = result.successful
    .map((entry) => `<member><Id>${escapeXml(entry.id)}</Id><MessageId>${escapeXml(entry.messageId)}</MessageId></member>`)
    .join('');
  const failed = result.failed
    .map(
      (entry) =>
        `<member><Id>${escapeXml(entry.id)}</Id><Code>${escapeXml(entry.code)}</Code>` +
        `<Message>${escapeXml(entry.message)}</Message><SenderFault>${entry.senderFault}</SenderFault></member>`,
    )
    .join('');
  return `<Successful>${successful}</Successful><Failed>${failed}</Failed>`;
}
