import { randomUUID } from 'node:crypto';
import { sqsErrors } from './errors.ts';
import type { MessageContent, Queue } from './queue.ts';
import type { QueueRegistry } from './registry.ts';

export interface MessageMoveTaskInput {
  /** The dead-letter queue to empty. */
  sourceArn: string;
  /** Where to move messages; by default each goes back to the queue it was dead-lettered from. */
  destinationArn?: string;
}

export interface MessageMoveTaskResult {
  taskHandle: string;
  movedCount: number;
  /** Messages left in the DLQ because their source queue does not exist (any more). */
  skippedCount: number;
}

/**
 * StartMessageMoveTask (DLQ redrive), done at once rather than as a throttled background task.
 * As in SQS, redriven messages are new messages: new message ID, new enqueue time (so
 * retention starts over) and a receive count of zero. In-flight DLQ messages stay behind.
 */
export function startMessageMoveTask(
  registry: QueueRegistry,
  input: MessageMoveTaskInput,
): MessageMoveTaskResult {
  const source = registry.getByArn(input.sourceArn);
  if (!source) throw sqsErrors.resourceNotFound('The resource that you requested does not exist.');
  if (registry.deadLetterSourcesOf(source).length === 0) {
    throw sqsErrors.invalidParameterValue(
      'Source queue must be configured as a Dead Letter Queue.',
    );
  }
  const destination = input.destinationArn ? registry.getByArn(input.destinationArn) : undefined;
  if (input.destinationArn && !destination) {
    throw sqsErrors.resourceNotFound('The resource that you requested does not exist.');
  }

  const moves: Array<{ message: MessageContent; target: Queue }> = [];
  let skippedCount = 0;
  source.takeVisibleMessages((message) => {
    const target =
      destination ??
      (message.deadLetterQueueSourceArn
        ? registry.getByArn(message.deadLetterQueueSourceArn)
        : undefined);
    if (!target) {
      skippedCount++;
      return false;
    }
    moves.push({ message, target });
    return true;
  });
  for (const { message, target } of moves) {
    target.send({
      body: message.body,
      messageAttributes: message.messageAttributes,
      senderId: message.senderId,
      awsTraceHeader: message.awsTraceHeader,
      delaySeconds: 0,
    });
  }
  const taskHandle = Buffer.from(
    JSON.stringify({ taskId: randomUUID(), sourceArn: source.arn }),
    'utf8',
  ).toString('base64');
  return { taskHandle, movedCount: moves.length, skippedCount };
}
