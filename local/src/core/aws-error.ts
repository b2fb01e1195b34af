/**
 * An error as an AWS service reports it: `code` is the error shape's name (`QueueDoesNotExist`,
 * `NotFound`, `ExecutionDoesNotExist`), which both wire protocols carry (the JSON protocol as
 * `__type`, the query protocol as `<Code>`) and SDK v3 turns into `error.name`. `queryCode` is
 * the legacy query-protocol code an awsQueryCompatible service (SQS) sends as well, in
 * `x-amzn-query-error`. Each emulated service subclasses it with its own catalogue of errors.
 */
export class AwsError extends Error {
  readonly queryCode: string;

  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    { senderFault = true, queryCode = code }: { senderFault?: boolean; queryCode?: string } = {},
  ) {
    super(message);
    this.name = code;
    this.senderFault = senderFault;
    this.queryCode = queryCode;
  }

  readonly senderFault: boolean;
}
