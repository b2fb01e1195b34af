/**
 * Issue 13's API overhead (target 2): where a warm request's time goes between the client and
 * DynamoDB Local, and the ratio to the raw DynamoDB work underneath. Pure helpers; the run
 * (bench/run.ts, section 3b) collects one `RequestTrace` per request and one `CpuSample` per block.
 */
import { percentile } from './stats.ts';

/** One API request at concurrency 1 with the event sources paused, and the one invocation it made. */
export interface RequestTrace {
  /** The bench's clock: request sent → answer read (ms). */
  clientMs: number;
  /** The Lambda service's `invoke`: asked for → outcome known (ms). */
  invokeMs: number;
  /** The execution environment's share of it: event posted to the worker → result back (ms). */
  environmentMs: number;
  /** The handler's AWS SDK calls, each timed inside the worker around the SDK's `send` (ms). */
  sdkMs: number;
  /** How many SDK calls the handler made. */
  sdkCalls: number;
}

export const OVERHEAD_HOPS = [
  'API Gateway: HTTP, Cognito authorizer, proxy event, response mapping',
  'Lambda service: event and result JSON, environment hand-off (worker thread)',
  'handler and runtime outside the SDK calls (middy, Powertools, zod, domain)',
  'DynamoDB calls as the handler sees them (SDK, HTTP, DynamoDB Local)',
] as const;

/** A request's time, split into consecutive hops that add up to `clientMs`. */
export function requestHops(trace: RequestTrace): Record<(typeof OVERHEAD_HOPS)[number], number> {
  const [gateway, lambda, handler, dynamoDb] = OVERHEAD_HOPS;
  return {
    [gateway]: trace.clientMs - trace.invokeMs,
    [lambda]: trace.invokeMs - trace.environmentMs,
    [handler]: trace.environmentMs - trace.sdkMs,
    [dynamoDb]: trace.sdkMs,
  } as Record<(typeof OVERHEAD_HOPS)[number], number>;
}

export interface HopSummary {
  hop: string;
  p50: number;
  mean: number;
  /** Share of the mean request. */
  share: number;
}

/** p50 and mean of each hop over the requests (the means add up to the mean request). */
export function summarizeRequestHops(traces: readonly RequestTrace[]): { requests: number; clientP50: number; sdkCallsPerRequest: number; hops: HopSummary[] } {
  const split = traces.map(requestHops);
  const meanOf = (values: number[]) => (values.length === 0 ? Number.NaN : values.reduce((total, value) => total + value, 0) / values.length);
  const total = meanOf(traces.map((trace) => trace.clientMs));
  return {
    requests: traces.length,
    clientP50: percentile(traces.map((trace) => trace.clientMs), 50),
    sdkCallsPerRequest: meanOf(traces.map((trace) => trace.sdkCalls)),
    hops: OVERHEAD_HOPS.map((hop) => {
      const values = split.map((hops) => hops[hop]);
      const mean = meanOf(values);
      return { hop, p50: percentile(values, 50), mean, share: mean / total };
    }),
  };
}

/** CPU this process spent (main thread, the Lambda workers, the bench's own client) over a block of requests. */
export interface CpuSample {
  requests: number;
  cpuMs: number;
}

/** CPU ms per request over several blocks: the load-robust companion of the wall-clock ratio. */
export function cpuPerRequest(samples: readonly CpuSample[]): number {
  const requests = samples.reduce((total, sample) => total + sample.requests, 0);
  return requests === 0 ? Number.NaN : samples.reduce((total, sample) => total + sample.cpuMs, 0) / requests;
}

/**
 * Splits `count` requests into `rounds` blocks as evenly as possible: each round runs one block
 * of every baseline and API operation in turn, so a change in the machine's load during the
 * measurement hits the baseline and the API alike instead of whichever ran at that moment.
 */
export function blockSizes(count: number, rounds: number): number[] {
  const blocks = Math.max(1, Math.min(rounds, count));
  return Array.from({ length: blocks }, (_, index) => Math.floor(count / blocks) + (index < count % blocks ? 1 : 0));
}
