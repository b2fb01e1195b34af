import type { PublishBatchEntry, PublishBatchResult } from './topic.ts';
import type { PublishInput, SnsMessageAttributes } from './topic-validation.ts';

/**
 * The AWS query protocol as SNS speaks it: form-encoded requests with flattened lists and
 * maps (`MessageAttributes.entry.1.Name`), XML responses in the 2010-03-31 namespace.
 */

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

export type QueryParams = URLSearchParams;

export function parseQuery(body: string): QueryParams {
  return new URLSearchParams(body);
}

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

export function publishResponseXml(messageId: string, requestId: string): string {
  return response('Publish', `<MessageId>${escapeXml(messageId)}</MessageId>`, requestId);
}

export function publishBatchResponseXml(result: PublishBatchResult, requestId: string): string {
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
  return response('PublishBatch', `<Successful>${successful}</Successful><Failed>${failed}</Failed>`, requestId);
}

export function errorResponseXml(
  error: { code: string; message: string; senderFault: boolean },
  requestId: string,
): string {
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${XMLNS}"><Error>` +
    `<Type>${error.senderFault ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

function response(action: string, result: string, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<${action}Response xmlns="${XMLNS}">` +
    `<${action}Result>${result}</${action}Result>` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  );
}

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}
