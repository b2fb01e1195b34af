import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../core/ports.ts';
import { describeExecutionsForOrder, fetchExecutionsForOrder, formatExecutionReports } from './executions.ts';
import { LocalStepFunctions } from './local-step-functions.ts';
import { SfnServer } from './sfn-server.ts';

describe('describeExecutionsForOrder', () => {
  const tokens: string[] = [];
  const service = new LocalStepFunctions({
    invokeLambda: async (functionName, payload) => {
      const { taskToken } = payload as { taskToken?: string };
      if (taskToken !== undefined) tokens.push(taskToken);
      if (functionName === 'Reserve') return { payload: { errorType: 'OutOfStock', errorMessage: 'none left', trace: [] }, functionError: 'Unhandled' };
      return { payload: { ok: true } };
    },
  });
  const shipping = service.createStateMachine({
    name: 'Fulfilment',
    definition: JSON.stringify({
      StartAt: 'Ship',
      States: {
        Ship: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:RequestShipment', Payload: { 'taskToken.$': '$$.Task.Token' } },
          End: true,
        },
      },
    }),
  });
  const reserving = service.createStateMachine({
    name: 'Reservation',
    definition: JSON.stringify({
      StartAt: 'Reserve',
      States: { Reserve: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'Reserve' }, End: true } },
    }),
  });

  afterAll(() => service.stop());

  it('reports every execution named after the order, across state machines, with where it is now', async () => {
    const failed = service.startExecution({ stateMachineArn: reserving.stateMachineArn, name: 'order-7', input: '{"orderId":"order-7"}' });
    await service.waitForExecution(failed.executionArn);
    service.startExecution({ stateMachineArn: shipping.stateMachineArn, name: 'order-7', input: '{"orderId":"order-7"}' });
    service.startExecution({ stateMachineArn: shipping.stateMachineArn, name: 'order-8' });
    // The history follows the interpreter a few microtasks behind: wait until it shows the wait.
    await waitUntil('both shipments to wait', async () =>
      ['order-7', 'order-8'].every((name) => describeExecutionsForOrder(service, name).some((report) => report.timeline.at(-1)?.type === 'TaskSubmitted')),
    );

    const reports = describeExecutionsForOrder(service, 'order-7');
    expect(reports.map((report) => [report.stateMachineName, report.status])).toEqual([
      ['Reservation', 'FAILED'],
      ['Fulfilment', 'RUNNING'],
    ]);
    const [reservation, fulfilment] = reports;
    expect(reservation).toMatchObject({ error: 'OutOfStock', currentStates: [] });
    expect(reservation?.timeline.find((entry) => entry.type === 'TaskFailed')).toMatchObject({ state: 'Reserve', detail: expect.stringMatching(/^OutOfStock: \{"errorType"/) });
    expect(fulfilment?.currentStates).toEqual([expect.objectContaining({ name: 'Ship', type: 'Task', waitingForTaskToken: true })]);
    expect(fulfilment?.timeline.map((entry) => [entry.type, entry.state, entry.detail])).toEqual([
      ['ExecutionStarted', undefined, undefined],
      ['TaskStateEntered', 'Ship', undefined],
      ['TaskScheduled', 'Ship', 'lambda:invoke.waitForTaskToken RequestShipment'],
      ['TaskStarted', 'Ship', undefined],
      ['TaskSubmitted', 'Ship', 'waiting for a task token'],
    ]);
  });

  it('gives the same report through the Step Functions endpoint, for a CLI in another process', async () => {
    const server = new SfnServer({ service });
    const client = new SFNClient({ endpoint: await server.start(), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      const direct = describeExecutionsForOrder(service, 'order-7');
      const fetched = await fetchExecutionsForOrder(client, 'order-7');
      const comparable = (reports: typeof direct) =>
        reports.map(({ currentStates, timeline, ...rest }) => ({
          ...rest,
          currentStates: currentStates.map(({ name, type, waitingForTaskToken }) => ({ name, type, waitingForTaskToken })),
          timeline: timeline.map(({ id, type, state, detail }) => ({ id, type, state, detail })),
        }));
      expect(comparable(fetched)).toEqual(comparable(direct));
    } finally {
      client.destroy();
      await server.stop();
    }
  });

  it('formats the reports for a terminal', () => {
    const reports = describeExecutionsForOrder(service, 'order-7');
    const now = new Date((reports[1]?.startDate.getTime() ?? 0) + 2_500);
    const text = formatExecutionReports('order-7', reports, { now });
    const [reservation, fulfilment] = text.split('\n\n');
    expect(reservation).toMatch(/^Reservation \/ order-7: FAILED \(started .*, took \d+\.\d s\)\n {2}error: OutOfStock: \{"errorType":"OutOfStock"/);
    expect(fulfilment).toMatch(/^Fulfilment \/ order-7: RUNNING \(started .*, 2\.5 s ago\)\n {2}in Ship \(Task, waiting for a task token\) for \d\.\d s\n {2}input: \{"orderId":"order-7"\}/);
    expect(fulfilment).toMatch(/\n {5}3 +\+0\.\d{3} s {2}TaskScheduled +Ship {2}lambda:invoke\.waitForTaskToken RequestShipment\n/);
    expect(formatExecutionReports('order-9', [])).toBe('No state machine execution is named order-9.');
  });
});
