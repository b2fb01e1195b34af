import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalCloudDescription } from '#local/cloud/description.ts';
import { readFunctionLogFile } from '#local/cloud/function-log-file.ts';
import { trailOf } from '#local/cloud/order-trail.ts';
import { seededUsers } from '../support/auth.ts';
import { api } from '../support/http.ts';
import { fulfilmentExecutions } from '../support/sagas.ts';
import { createUser, seededUser } from '../support/users.ts';
import { runCli } from '../support/cli.ts';
import { waitFor } from '../support/wait.ts';

/**
 * `npm run trail`: a real order, placed, fulfilled and shipped through the local cloud, told
 * from the cloud's function log file by the command as a user runs it (a child process reading
 * the state file), by order id and by the correlation id the customer sent.
 */
const EVENTUALLY = { timeoutMs: 45_000 };
const address = { name: 'Trail Tester', line1: '1 Log Lane', city: 'Springfield', postalCode: '12345', country: 'US' };

const trail = (args: string[], stateFile: string) => runCli('trail', args, stateFile);

/** The log lines of the printed trail (the saga's report follows them after a blank line). */
const logLinesOf = (stdout: string) => stdout.split('\n\n')[0]!.split('\n');

describe('npm run trail', () => {
  let directory: string;
  let stateFile: string;
  let orderId: string;
  const correlationId = `trail-${randomUUID()}`;

  /** Each business step of the order, by the function that logs it, in the order they happen. */
  const STEPS: Array<[functionLogicalId: string, message: string]> = [
    ['PlaceOrderFunction', 'Order placed'],
    ['PublishOrderEventsFunction', 'Published order event'],
    ['StartFulfilmentFunction', 'Fulfilment started'],
    ['TakePaymentFunction', 'Payment taken'],
    ['AwaitShipmentFunction', 'Waiting for shipment'],
    ['ShipOrderFunction', 'Order shipped'],
  ];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'trail-cli-'));
    stateFile = join(directory, 'state.json');
    const description = Object.fromEntries(
      (['functionLogFile', 'sfnEndpoint', 'region', 'apiUrl', 'controlUrl'] as const).map((key) => [key, inject(key)]),
    ) as Partial<LocalCloudDescription>;
    expect(description.functionLogFile, 'the test cloud keeps a function log file').toEqual(expect.any(String));
    await writeFile(stateFile, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), ...description }));

    const customer = await createUser();
    const [productId] = inject('productIds');
    const placed = await api('POST', '/orders', {
      token: customer.token,
      body: { items: [{ productId, quantity: 1 }], shippingAddress: address },
      headers: { 'Idempotency-Key': randomUUID(), 'x-correlation-id': correlationId },
    });
    expect(placed.status).toBe(201);
    orderId = placed.json.orderId;

    const logged = async () => trailOf(await readFunctionLogFile(description.functionLogFile!), orderId);
    const hasLogged = (entries: Awaited<ReturnType<typeof logged>>, [fn, message]: [string, string]) =>
      entries.some((entry) => entry.functionLogicalId === fn && entry.message === message);
    // Shipped once the saga waits for the shipment (its token parked on the order).
    await waitFor(async () => hasLogged(await logged(), ['AwaitShipmentFunction', 'Waiting for shipment']) || undefined, {
      ...EVENTUALLY,
      description: 'the saga waiting for the shipment',
    });
    const admin = await seededUser(seededUsers.admin);
    const shipped = await api('POST', `/admin/orders/${orderId}/ship`, { token: admin.token, body: { trackingNumber: 'TRAIL-1' } });
    expect(shipped.status, shipped.text).toBe(200);
    await waitFor(async () => (await fulfilmentExecutions(orderId))[0]?.status === 'SUCCEEDED' || undefined, { ...EVENTUALLY, description: 'the saga done' });
    // Function output reaches the file shortly after each invocation's result.
    await waitFor(async () => {
      const entries = await logged();
      return STEPS.every((step) => hasLogged(entries, step)) || undefined;
    }, { ...EVENTUALLY, description: 'every step in the function log file' });
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('prints every step of the order across the functions, oldest first, one line each, then its saga', async () => {
    const run = await trail([orderId], stateFile);
    expect(run.code, run.stderr).toBe(0);
    const lines = logLinesOf(run.stdout);
    // Chronological: the ISO timestamps that start the lines never go back.
    const times = lines.map((line) => line.split(' ')[0]!);
    expect(times.every((time) => !Number.isNaN(Date.parse(time)))).toBe(true);
    expect(times).toEqual([...times].sort());
    // Every line names the order; each step is there, in the order it happened.
    for (const line of lines) expect(line).toContain(`orderId=${orderId}`);
    const stepLines = STEPS.map(([fn, message]) => lines.findIndex((line) => new RegExp(`^\\S+ INFO +${fn} +${message}`).test(line)));
    expect(stepLines.every((index) => index >= 0), run.stdout).toBe(true);
    expect(stepLines).toEqual([...stepLines].sort((a, b) => a - b));
    // The placing request's line carries the correlation id the customer sent.
    expect(lines[stepLines[0]!]).toContain(`correlationId=${correlationId}`);
    // And the saga's executions, as `npm run executions` prints them: the fulfilment, and the
    // confirmation child it started (found by the order id in its input), where payment is taken.
    expect(run.stdout).toContain(`FulfilmentStateMachine / ${orderId}: SUCCEEDED`);
    expect(run.stdout).toMatch(/ConfirmOrderStateMachine \/ \S+: SUCCEEDED/);
    expect(run.stdout).toMatch(/TaskStateEntered\s+TakePayment/);
  });

  it('tells the same story by the correlation id of the request that placed the order', async () => {
    const run = await trail([correlationId], stateFile);
    expect(run.code, run.stderr).toBe(0);
    const lines = logLinesOf(run.stdout);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain(correlationId);
    // The saga runs under the placing request's correlation id; the admin's ship request has its own.
    for (const message of ['Order placed', 'Published order event', 'Fulfilment started', 'Payment taken']) expect(run.stdout).toContain(message);
    expect(run.stdout).not.toContain('Order shipped');
    expect(run.stdout).toContain(`FulfilmentStateMachine / ${orderId}: SUCCEEDED`);
  });

  it('says so, exiting 1, when nothing mentions the id, or when no id is given', async () => {
    const unknown = await trail([randomUUID()], stateFile);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No function logged anything mentioning/);
    const usage = await trail([], stateFile);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('Usage: npm run trail -- <orderId|correlationId>');
  });
});
