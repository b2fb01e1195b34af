/**
 * Where one emulated service hands messages to another without knowing its internals: SNS
 * delivers to a subscribed queue through this, and the SQS service's queues provide it. A sink
 * that refuses a message throws an `AwsError` (core/aws-error.ts) saying why.
 */
export interface MessageSink {
  send(message: SinkMessage): { messageId: string };
}

export interface SinkMessage {
  body: string;
  /** As the SQS API carries them (same field names as SDK v3). */
  messageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
  /** Who sent it, e.g. SNS's own principal. */
  senderId?: string;
}
