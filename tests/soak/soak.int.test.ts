import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LOCAL_CLOUD_DIRECTORY } from '#local/cloud/state-file.ts';
import { formatReport, runSoak } from './soak.ts';

// A small soak run in `npm test`: its own local cloud (free ports, time scale 0.02) with the
// default fault plan (handler throws and timeouts, payment provider outages, DynamoDB
// throttling), 40 orders, then the invariants: nothing lost, nothing doubled.
// `npm run soak -- --orders 500` is the full run.


it('places 40 orders under faults and loses nothing, doubles nothing', { timeout: 180_000 }, async () => {
  const report = await runSoak({
    orders: 40,
    timeoutSeconds: 120,
    concurrency: 16,
    logPath: join(LOCAL_CLOUD_DIRECTORY, 'logs', 'soak-test.log'),
  });
  const tally = formatReport(report);
  console.log(tally);

  expect(report.ordersPlaced, tally).toBe(40);
  expect(report.settled, tally).toBe(true);
  expect(report.faults.total, 'the fault plan injected nothing').toBeGreaterThan(0);
  expect(report.violations, tally).toEqual([]);
});
