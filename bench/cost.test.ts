import { describe, expect, it } from 'vitest';
import { costOf, expressGbSeconds, gbSeconds, PRICES, type UsagePerOrder } from './cost.ts';

const none: UsagePerOrder = {
  apiRequests: 0,
  lambdaRequests: 0,
  lambdaGbSeconds: 0,
  readRequestUnits: 0,
  writeRequestUnits: 0,
  stateTransitions: 0,
  expressRequests: 0,
  expressGbSeconds: 0,
  snsPublishes: 0,
  sqsRequests: 0,
  logBytes: 0,
  traces: 0,
};

describe('costOf', () => {
  it('prices each unit at its published rate', () => {
    const line = (usage: Partial<UsagePerOrder>, orders = 1000) => costOf({ ...none, ...usage }, orders).total;
    // 1,000 orders × 2 API requests = 2,000 requests × $3.50 per million.
    expect(line({ apiRequests: 2 })).toBeCloseTo(0.007, 10);
    expect(line({ lambdaRequests: 10 })).toBeCloseTo(0.002, 10);
    expect(line({ lambdaGbSeconds: 1 })).toBeCloseTo(0.0133334, 10);
    expect(line({ readRequestUnits: 8 })).toBeCloseTo(0.001, 10);
    expect(line({ writeRequestUnits: 16 })).toBeCloseTo(0.01, 10);
    expect(line({ stateTransitions: 12 })).toBeCloseTo(0.3, 10);
    expect(line({ snsPublishes: 4 })).toBeCloseTo(0.002, 10);
    expect(line({ sqsRequests: 5 })).toBeCloseTo(0.002, 10);
    expect(line({ stateTransitions: 12 }, 1)).toBeCloseTo(0.0003, 10);
    expect(line({ expressRequests: 1 })).toBeCloseTo(0.001, 10);
    expect(line({ expressGbSeconds: 1 })).toBeCloseTo(0.01667, 10);
    // 1,000 orders × 2,000 bytes = 2 MB at $0.50 per GB.
    expect(line({ logBytes: 2000 })).toBeCloseTo(0.001, 10);
    expect(line({ traces: 3 })).toBeCloseTo(0.015, 10);
  });

  it('adds the lines up', () => {
    const { lines, total } = costOf({ ...none, apiRequests: 2, stateTransitions: 12 });
    expect(lines).toHaveLength(12);
    expect(total).toBeCloseTo(0.307, 10);
  });

  it('records where and when the prices come from', () => {
    expect(PRICES.region).toBe('us-east-1');
    expect(PRICES.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const service of [PRICES.lambda, PRICES.apiGatewayRest, PRICES.dynamoDbOnDemand, PRICES.stepFunctionsStandard, PRICES.stepFunctionsExpress, PRICES.sns, PRICES.sqs, PRICES.cloudWatchLogs, PRICES.xRay]) {
      expect(service.source).toMatch(/^https:\/\//);
    }
  });
});

describe('expressGbSeconds', () => {
  it('rounds the duration up to 100 ms and bills one 64 MB chunk', () => {
    expect(expressGbSeconds(1)).toBeCloseTo(0.1 / 16, 12);
    expect(expressGbSeconds(250)).toBeCloseTo(0.3 / 16, 12);
  });
});

describe('gbSeconds', () => {
  it('rounds the duration up to the millisecond', () => {
    expect(gbSeconds(99.2, 1024)).toBeCloseTo(0.1, 10);
    expect(gbSeconds(1000, 512)).toBeCloseTo(0.5, 10);
  });
});
