import type { _Record, AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, StreamRecord } from 'aws-lambda';

/**
 * A DynamoDB stream record as the Streams API returns it (SDK v3 shape: binary values are bytes,
 * `ApproximateCreationDateTime` is a Date) turned into the record Lambda puts in a function's
 * event (JSON shape: binary values are base64 strings, the creation time is epoch seconds).
 */

export interface LambdaRecordContext {
  /** The mapping's region. DynamoDB Local writes "ddblocal" into its records; Lambda writes the region. */
  region: string;
  /** The mapping's EventSourceArn: the stream ARN the function sees in `eventSourceARN`. */
  eventSourceArn: string;
}

/** Field by field, in the order Lambda writes them ("Using AWS Lambda with Amazon DynamoDB"). */
export function toLambdaRecord(record: _Record, context: LambdaRecordContext): DynamoDBRecord {
  const source = record.dynamodb ?? {};
  const dynamodb: StreamRecord = {
    ...(source.ApproximateCreationDateTime !== undefined && {
      ApproximateCreationDateTime: epochSeconds(source.ApproximateCreationDateTime),
    }),
    ...(source.Keys !== undefined && { Keys: toLambdaImage(source.Keys) }),
    ...(source.NewImage !== undefined && { NewImage: toLambdaImage(source.NewImage) }),
    ...(source.OldImage !== undefined && { OldImage: toLambdaImage(source.OldImage) }),
    ...(source.SequenceNumber !== undefined && { SequenceNumber: source.SequenceNumber }),
    ...(source.SizeBytes !== undefined && { SizeBytes: source.SizeBytes }),
    ...(source.StreamViewType !== undefined && { StreamViewType: source.StreamViewType }),
  };
  return {
    ...(record.eventID !== undefined && { eventID: record.eventID }),
    ...(record.eventName !== undefined && { eventName: record.eventName }),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: context.region,
    dynamodb,
    eventSourceARN: context.eventSourceArn,
    // Only present for deletions made by the service itself (TTL expiry).
    ...(record.userIdentity !== undefined && {
      userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId },
    }),
  };
}

function epochSeconds(value: Date | number): number {
  const milliseconds = value instanceof Date ? value.getTime() : value * 1000;
  return Math.floor(milliseconds / 1000);
}

function toLambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaAttributeValue(value)]));
}

/** The SDK's attribute union, with binary as base64 the way it travels in JSON. */
export function toLambdaAttributeValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  throw new TypeError(`Unknown DynamoDB attribute value: ${JSON.stringify(value)}`);
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * Sequence numbers are decimal strings of varying length ("String contains numeric characters
 * only"), so they compare as integers, not as text.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
