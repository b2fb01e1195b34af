/**
 * What an order costs at published on-demand prices, from counted usage. Pure; see cost.test.ts.
 *
 * Prices: US East (N. Virginia), pay-as-you-go, first pricing tier, free tiers ignored. Read on
 * 2026-11-22 (Express, CloudWatch Logs and X-Ray on 2026-11-30) from the pages in `source` (the AWS pricing pages, or where the page's table is
 * rendered by script, the AWS page or article that quotes it, with its own date).
 */
export const PRICES = {
  region: 'us-east-1',
  retrieved: '2026-11-22',
  lambda: {
    /** Arm (Graviton2), first 7.5 billion GB-seconds a month. */
    perGbSecondArm: 0.0000133334,
    perMillionRequests: 0.2,
    source: 'https://aws.amazon.com/lambda/pricing/ (snapshot of 2026-06-18, web.archive.org/web/20260618003751)',
  },
  apiGatewayRest: {
    /** REST APIs, first 333 million requests a month. */
    perMillionRequests: 3.5,
    source:
      'https://aws.amazon.com/api-gateway/pricing/ as quoted in https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html (Table 4)',
  },
  dynamoDbOnDemand: {
    /** Standard table class, after the November 2024 on-demand price reduction. */
    perMillionWriteRequestUnits: 0.625,
    perMillionReadRequestUnits: 0.125,
    source:
      'https://aws.amazon.com/dynamodb/pricing/on-demand/; the reduction: https://aws.amazon.com/blogs/aws/amazon-dynamodb-on-demand-no-capacity-planning-and-pay-per-request-pricing/ (updated 2025-01-31); figures as quoted by https://airbyte.com/data-engineering-resources/dynamodb-pricing',
  },
  stepFunctionsStandard: {
    perThousandStateTransitions: 0.025,
    source: 'https://aws.amazon.com/step-functions/pricing/ (state transitions table, US East (N. Virginia) $0.0250)',
  },
  stepFunctionsExpress: {
    /** Per execution started ("a request each time it starts executing a workflow"). */
    perMillionRequests: 1.0,
    /** First 1,000 GB-hours a month ($0.06 per GB-hour); duration rounded up to 100 ms, memory billed in 64 MB chunks. */
    perGbSecond: 0.00001667,
    billedMemoryMb: 64,
    durationIncrementMs: 100,
    source:
      'https://aws.amazon.com/step-functions/pricing/ (Express Workflows: requests and duration, 100 ms rounding, 64 MB chunks; read 2026-11-30); $1.00 per million: https://aws.amazon.com/blogs/compute/building-cost-effective-aws-step-functions-workflows/',
  },
  cloudWatchLogs: {
    /** Standard log class ingestion; Lambda's logs are vended logs since 2025-05-01, whose first tier (10 TB) is the same $0.50. */
    perGbIngested: 0.5,
    source:
      'https://aws.amazon.com/cloudwatch/pricing/ (Logs, collect: $0.50 per GB, US East) as quoted by https://hykell.com/knowledge-base/aws-cloudwatch-logs-pricing (read 2026-11-30); Lambda tiers: https://www.duckbillgroup.com/?p=9080 (2025-05)',
  },
  xRay: {
    /** Traces recorded; retrieval and scans ($0.50 per million) are an operator's reading, not per order. */
    perMillionTracesRecorded: 5.0,
    source: 'https://aws.amazon.com/xray/pricing/ ($0.000005 per trace recorded beyond the free tier; read 2026-11-30)',
  },
  sns: {
    /** Standard topics, per million publish requests (64 KB chunks); deliveries to SQS are free. */
    perMillionPublishes: 0.5,
    source: 'https://aws.amazon.com/sns/pricing/ as quoted by https://www.factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols/ (2026-06-13)',
  },
  sqs: {
    /** Standard queues, first 100 billion requests a month (64 KB chunks). */
    perMillionRequests: 0.4,
    source: 'https://aws.amazon.com/sqs/pricing/ as quoted by https://cloudburn.io/blog/amazon-sqs-pricing (US East, March 2026)',
  },
} as const;

export type Prices = typeof PRICES;

/** Usage for one order (averages: fractions are fine). */
export interface UsagePerOrder {
  apiRequests: number;
  lambdaRequests: number;
  /** Σ billed duration (s) × memory (GB) over the order's invocations. */
  lambdaGbSeconds: number;
  readRequestUnits: number;
  writeRequestUnits: number;
  /** Standard workflow state transitions. */
  stateTransitions: number;
  /** Express workflow executions started, and their billed GB-seconds (see expressGbSeconds). */
  expressRequests: number;
  expressGbSeconds: number;
  snsPublishes: number;
  sqsRequests: number;
  /** Bytes written to CloudWatch Logs (function and platform lines, access logs, state machine logs). */
  logBytes: number;
  /** X-Ray traces recorded: one per request that enters without a trace header (see bench/run.ts). */
  traces: number;
}

export interface CostLine {
  item: string;
  perOrder: number;
  /** US dollars for `orders` orders. */
  cost: number;
}

/** Dollars for `orders` orders, line by line and in total. */
export function costOf(usage: UsagePerOrder, orders = 1000, prices: Prices = PRICES): { lines: CostLine[]; total: number } {
  const perMillion = (count: number, price: number) => (count * orders * price) / 1_000_000;
  const lines: CostLine[] = [
    { item: 'API Gateway REST requests', perOrder: usage.apiRequests, cost: perMillion(usage.apiRequests, prices.apiGatewayRest.perMillionRequests) },
    { item: 'Lambda requests', perOrder: usage.lambdaRequests, cost: perMillion(usage.lambdaRequests, prices.lambda.perMillionRequests) },
    { item: 'Lambda GB-seconds (arm64)', perOrder: usage.lambdaGbSeconds, cost: usage.lambdaGbSeconds * orders * prices.lambda.perGbSecondArm },
    { item: 'DynamoDB read request units', perOrder: usage.readRequestUnits, cost: perMillion(usage.readRequestUnits, prices.dynamoDbOnDemand.perMillionReadRequestUnits) },
    { item: 'DynamoDB write request units', perOrder: usage.writeRequestUnits, cost: perMillion(usage.writeRequestUnits, prices.dynamoDbOnDemand.perMillionWriteRequestUnits) },
    {
      item: 'Step Functions state transitions',
      perOrder: usage.stateTransitions,
      cost: (usage.stateTransitions * orders * prices.stepFunctionsStandard.perThousandStateTransitions) / 1000,
    },
    { item: 'Step Functions Express requests', perOrder: usage.expressRequests, cost: perMillion(usage.expressRequests, prices.stepFunctionsExpress.perMillionRequests) },
    { item: 'Step Functions Express GB-seconds', perOrder: usage.expressGbSeconds, cost: usage.expressGbSeconds * orders * prices.stepFunctionsExpress.perGbSecond },
    { item: 'SNS publishes', perOrder: usage.snsPublishes, cost: perMillion(usage.snsPublishes, prices.sns.perMillionPublishes) },
    { item: 'SQS requests', perOrder: usage.sqsRequests, cost: perMillion(usage.sqsRequests, prices.sqs.perMillionRequests) },
    { item: 'CloudWatch Logs ingestion (bytes)', perOrder: usage.logBytes, cost: (usage.logBytes * orders * prices.cloudWatchLogs.perGbIngested) / 1e9 },
    { item: 'X-Ray traces recorded', perOrder: usage.traces, cost: perMillion(usage.traces, prices.xRay.perMillionTracesRecorded) },
  ];
  return { lines, total: lines.reduce((sum, line) => sum + line.cost, 0) };
}

/** An Express execution's billed GB-seconds: duration rounded up to 100 ms, memory in 64 MB chunks (one chunk for a small saga). */
export function expressGbSeconds(durationMs: number, prices: Prices = PRICES): number {
  const { durationIncrementMs, billedMemoryMb } = prices.stepFunctionsExpress;
  return ((Math.ceil(durationMs / durationIncrementMs) * durationIncrementMs) / 1000) * (billedMemoryMb / 1024);
}

/** Lambda bills duration rounded up to the millisecond, at the function's memory. */
export function gbSeconds(durationMs: number, memoryMb: number): number {
  return (Math.ceil(durationMs) / 1000) * (memoryMb / 1024);
}
