import { StateMachine } from 'aws-local-stepfunctions';
import { StateError } from './errors.ts';

/**
 * `States.Timeout` has one rule no other error has: `States.TaskFailed` in a Retry or Catch does
 * not match it. aws-local-stepfunctions applies that rule with `instanceof` on its own
 * (unexported) error class, so a task timeout raised by the local handler has to be an instance
 * of that class. This gets the class once, from the library itself: a one-task machine whose
 * task times out after 1 ms.
 */

type ErrorConstructor = new () => Error;

let timeoutClass: Promise<ErrorConstructor | undefined> | undefined;

function findTimeoutClass(): Promise<ErrorConstructor | undefined> {
  timeoutClass ??= (async () => {
    const machine = new StateMachine(
      { StartAt: 'Probe', States: { Probe: { Type: 'Task', Resource: 'arn:aws:states:::local:probe', TimeoutSeconds: 0.001, End: true } } },
      { validationOptions: { noValidate: true } },
    );
    let release = (): void => undefined;
    const run = machine.run({}, {
      overrides: { taskResourceLocalHandlers: { Probe: () => new Promise((resolve) => (release = () => resolve(null))) } },
    });
    try {
      await run.result;
      return undefined;
    } catch (error) {
      const timeout = (error as Error).cause;
      return timeout instanceof Error && timeout.name === 'States.Timeout' ? (timeout.constructor as ErrorConstructor) : undefined;
    } finally {
      release();
    }
  })();
  return timeoutClass;
}

/** Starts looking for the class now, so the first task timeout does not wait for it. */
export function prepareStatesTimeout(): void {
  void findTimeoutClass();
}

/** A `States.Timeout` error that `States.TaskFailed` does not catch, as in AWS. */
export async function statesTimeout(cause: string): Promise<Error> {
  const TimeoutClass = await findTimeoutClass();
  // Should the library change, a plain States.Timeout still times the task out; only the
  // States.TaskFailed exception would be lost.
  const error = TimeoutClass === undefined ? new StateError('States.Timeout', cause) : new TimeoutClass();
  error.message = cause;
  return error;
}
