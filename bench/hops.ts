/**
 * Where the time from `POST /orders` to `CONFIRMED` goes, hop by hop, from what the local cloud
 * records: each Lambda invocation (asked for, returned, handler duration), the state machine
 * executions' history, and the bench's own clock. Pure; see hops.test.ts.
 *
 * A journey is a timeline of milestones; a hop is the time from one milestone to the next, so
 * the hops of a journey add up to its total. Invocation times include the hand-off to a worker
 * thread and back, which is the local Lambda's overhead, not the handler's.
 */
import { percentile } from './stats.ts';

export interface TracedInvocation {
  functionLogicalId: string;
  /** Epoch ms: asked for, and its outcome known. */
  startedAt: number;
  endedAt: number;
  /** The handler's own duration (ms). */
  durationMs: number;
  /** The event, as JSON. */
  event: string;
}

export interface TracedExecution {
  /** Epoch ms. */
  startedAt: number;
  history: ReadonlyArray<{ type: string; timestamp: Date; stateExitedEventDetails?: unknown }>;
}

export interface JourneyTrace {
  orderId: string;
  /** Epoch ms: the bench sent `POST /orders`, got its answer, and read CONFIRMED. */
  postSentAt: number;
  postAnsweredAt: number;
  confirmedSeenAt: number;
  /** Every invocation during the journey (of any order: matched here by time and order id). */
  invocations: readonly TracedInvocation[];
  /** The order's executions (the saga, and a child it started), any order. */
  executions: readonly TracedExecution[];
}

export interface Hop {
  hop: string;
  ms: number;
}

/** The state that writes CONFIRMED: the timeline ends when it has exited. */
const CONFIRMING_STATE = 'MarkConfirmed';

/** One journey's hops, in order; undefined when a milestone is missing (the journey cannot be explained). */
export function journeyHops(trace: JourneyTrace): Hop[] | undefined {
  const { orderId } = trace;
  const place = trace.invocations.find(
    (invocation) => invocation.functionLogicalId === 'PlaceOrderFunction' && invocation.startedAt >= trace.postSentAt && invocation.endedAt <= trace.postAnsweredAt,
  );
  const about = (functionLogicalId: string) =>
    trace.invocations.filter((invocation) => invocation.functionLogicalId === functionLogicalId && invocation.event.includes(orderId)).sort((a, b) => a.startedAt - b.startedAt)[0];
  const publish = about('PublishOrderEventsFunction');
  const start = about('StartFulfilmentFunction');
  if (place === undefined || publish === undefined || start === undefined || trace.executions.length === 0) return undefined;

  const milestones: Array<{ at: number; hop: string }> = [
    { at: trace.postSentAt, hop: 'start' },
    { at: place.startedAt, hop: 'API Gateway: route, Cognito authorizer, event' },
    { at: place.startedAt + handOff(place), hop: 'Lambda worker hand-off (PlaceOrder)' },
    { at: place.endedAt, hop: 'PlaceOrderFunction handler' },
    { at: trace.postAnsweredAt, hop: 'API Gateway: response' },
    { at: publish.startedAt, hop: 'DynamoDB stream read (poll interval, batching window)' },
    { at: publish.endedAt, hop: 'PublishOrderEventsFunction (SNS Publish)' },
    { at: start.startedAt, hop: 'SNS → SQS → poll (batching window)' },
  ];
  const executions = [...trace.executions].sort((a, b) => a.startedAt - b.startedAt);
  milestones.push({ at: executions[0]!.startedAt, hop: 'StartFulfilmentFunction → StartExecution' });
  // Each state's exit, oldest first; on the same millisecond a child's state comes before its
  // parent's (the parent's ConfirmOrder ends after the child's last state).
  const states: Array<{ at: number; hop: string; depth: number }> = [];
  for (const [depth, execution] of executions.entries()) {
    if (depth > 0) states.push({ at: execution.startedAt, hop: 'child execution start (startExecution.sync:2)', depth });
    for (const event of execution.history) {
      if (!event.type.endsWith('StateExited')) continue;
      const name = (event.stateExitedEventDetails as { name?: string } | undefined)?.name ?? '?';
      states.push({ at: event.timestamp.getTime(), hop: `state ${name}`, depth });
    }
  }
  states.sort((a, b) => a.at - b.at || b.depth - a.depth);
  const confirmed = states.findIndex((state) => state.hop === `state ${CONFIRMING_STATE}`);
  if (confirmed === -1) return undefined;
  milestones.push(...states.slice(0, confirmed + 1));
  milestones.push({ at: trace.confirmedSeenAt, hop: 'CONFIRMED seen by the bench (20 ms polling)' });

  const hops: Hop[] = [];
  for (let i = 1; i < milestones.length; i += 1) {
    const { hop, at } = milestones[i]!;
    const ms = Math.max(0, at - milestones[i - 1]!.at);
    const same = hops.find((existing) => existing.hop === hop);
    if (same === undefined) hops.push({ hop, ms });
    else same.ms += ms; // a retried state: its attempts add up
  }
  return hops;
}

/** The time an invocation spent outside its handler, split evenly before and after it. */
function handOff(invocation: TracedInvocation): number {
  return Math.max(0, invocation.endedAt - invocation.startedAt - invocation.durationMs) / 2;
}

export interface HopSummary {
  hop: string;
  p50: number;
  mean: number;
  /** Share of the mean total. */
  share: number;
}

/** Per hop over the journeys: p50 and mean (ms), in timeline order, and the slowest hop by mean. */
export function summarizeHops(journeys: ReadonlyArray<Hop[]>): { hops: HopSummary[]; slowest: string | undefined; explained: number } {
  const order: string[] = [];
  const values = new Map<string, number[]>();
  for (const hops of journeys) {
    for (const { hop, ms } of hops) {
      if (!values.has(hop)) {
        values.set(hop, []);
        order.push(hop);
      }
      values.get(hop)!.push(ms);
    }
  }
  const count = journeys.length;
  // A hop missing from a journey (a state not taken) counts as 0 ms there.
  const mean = (list: number[]) => list.reduce((sum, value) => sum + value, 0) / Math.max(1, count);
  const total = order.reduce((sum, hop) => sum + mean(values.get(hop)!), 0);
  const hops = order.map((hop) => {
    const list = values.get(hop)!;
    const padded = [...list, ...Array.from({ length: count - list.length }, () => 0)];
    return { hop, p50: percentile(padded, 50), mean: mean(list), share: total > 0 ? mean(list) / total : Number.NaN };
  });
  const slowest = [...hops].sort((a, b) => b.mean - a.mean)[0]?.hop;
  return { hops, slowest, explained: count };
}
