import { AwsError } from '../core/aws-error.ts';

/**
 * SQS errors as the service reports them. `type` is the JSON protocol's `__type` shape name,
 * `queryCode` the legacy query-protocol code that the SDK reads from `x-amzn-query-error`
 * (SQS is "awsQueryCompatible"), so `error.name` in SDK v3 ends up what AWS would produce.
 */
export class SqsError extends AwsError {
  constructor(type: string, queryCode: string, statusCode: number, message: string, senderFault = true) {
    super(type, statusCode, message, { senderFault, queryCode });
  }

  /** The JSON protocol's `__type` shape name. */
  get type(): string {
    return this.code;
  }
}

export const sqsErrors = {
  queueDoesNotExist: () =>
    new SqsError(
      'QueueDoesNotExist',
      'AWS.SimpleQueueService.NonExistentQueue',
      400,
      'The specified queue does not exist.',
    ),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsError(
      'ReceiptHandleIsInvalid',
      'ReceiptHandleIsInvalid',
      404,
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    ),
  messageNotInflight: () =>
    new SqsError(
      'MessageNotInflight',
      'AWS.SimpleQueueService.MessageNotInflight',
      400,
      'The message referred to is not in flight.',
    ),
  invalidParameterValue: (message: string) =>
    new SqsError('InvalidParameterValue', 'InvalidParameterValue', 400, message),
  missingParameter: (name: string) =>
    new SqsError(
      'MissingParameter',
      'MissingParameter',
      400,
      `The request must contain the parameter ${name}.`,
    ),
  invalidMessageContents: (message: string) =>
    new SqsError('InvalidMessageContents', 'InvalidMessageContents', 400, message),
  invalidAttributeName: (name: string) =>
    new SqsError('InvalidAttributeName', 'InvalidAttributeName', 400, `Unknown Attribute ${name}.`),
  resourceNotFound: (message: string) =>
    new SqsError('ResourceNotFoundException', 'ResourceNotFoundException', 404, message),
  unsupportedOperation: (message: string) =>
    new SqsError('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', 400, message),
};
