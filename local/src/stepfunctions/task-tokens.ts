import { randomBytes } from 'node:crypto';
import { SfnError } from './errors.ts';

/**
 * Task tokens for `.waitForTaskToken` tasks: one fresh opaque token per task attempt, valid
 * while that attempt waits. The callbacks answer as Step Functions does:
 *
 * - a string that is not a token of this service: `InvalidToken`;
 * - a well-formed token it never issued: `TaskDoesNotExist`;
 * - a token whose task has closed (succeeded, failed, timed out, or its execution was stopped):
 *   `TaskTimedOut` ("the task associated with the token has already been closed").
 */

/**
 * What `$$.Task.Token` holds in the Context Object of every execution. aws-local-stepfunctions
 * builds the Context Object once per execution, so it cannot hold a token per task: the
 * `.waitForTaskToken` handler replaces this value with the token it issues for the attempt.
 */
export const TASK_TOKEN_PLACEHOLDER = '$$.Task.Token (a token exists only inside a .waitForTaskToken task)';

const TOKEN_PREFIX = 'AQB';
const TOKEN_FORMAT = /^AQB[A-Za-z0-9_-]{86}$/;

export interface WaitingTask {
  executionArn: string;
  stateName: string;
  succeed(output: unknown): void;
  fail(error: string, cause: string): void;
  heartbeat(): void;
}

export class TaskTokens {
  private readonly open = new Map<string, WaitingTask>();
  private readonly closed = new Set<string>();

  issue(task: WaitingTask): string {
    const token = TOKEN_PREFIX + randomBytes(64).toString('base64url').slice(0, 86);
    this.open.set(token, task);
    return token;
  }

  /** The task stops accepting callbacks; later ones get `TaskTimedOut`. */
  close(token: string): void {
    if (this.open.delete(token)) this.closed.add(token);
  }

  succeed(token: string, outputJson: string): void {
    const task = this.waiting(token);
    let output: unknown;
    try {
      output = JSON.parse(outputJson);
    } catch {
      throw new SfnError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    task.succeed(output);
  }

  fail(token: string, error: string, cause: string): void {
    this.waiting(token).fail(error, cause);
  }

  heartbeat(token: string): void {
    this.waiting(token).heartbeat();
  }

  /** Which state waits on a token, for printing an execution's current state. */
  waitingStates(executionArn: string): string[] {
    return [...this.open.values()].filter((task) => task.executionArn === executionArn).map((task) => task.stateName);
  }

  private waiting(token: string): WaitingTask {
    if (!TOKEN_FORMAT.test(token)) throw new SfnError('InvalidToken', 'Invalid Token');
    const task = this.open.get(token);
    if (task !== undefined) return task;
    if (this.closed.has(token)) throw new SfnError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    throw new SfnError('TaskDoesNotExist', 'Task Does Not Exist: no task was issued this token');
  }
}

/** `value` with every string equal to the placeholder replaced by `token`. */
export function withTaskToken(value: unknown, token: string): unknown {
  if (value === TASK_TOKEN_PLACEHOLDER) return token;
  if (Array.isArray(value)) return value.map((item) => withTaskToken(item, token));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withTaskToken(item, token)]));
  }
  return value;
}
