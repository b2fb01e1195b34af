import { parseArgs } from 'node:util';
import { parseFaultPlan } from '#local/faults/fault-plan.ts';
import { formatReport, runSoak } from './soak.ts';

/**
 * `npm run soak -- --orders 500 --timeout 300 [--concurrency 16] [--time-scale 0.02] [--faults '<json>' | --no-faults]`
 * Exits 1 on any loss or double effect (or if the run did not settle), 0 otherwise.
 */
const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '500' },
    timeout: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '16' },
    'time-scale': { type: 'string', default: '0.02' },
    faults: { type: 'string' },
    'no-faults': { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
  },
});

const number = (name: string, text: string, min: number, max: number) => {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    console.error(`--${name} must be a number from ${min} to ${max}`);
    process.exit(2);
  }
  return value;
};

const report = await runSoak({
  orders: Math.floor(number('orders', values.orders, 1, 20_000)),
  timeoutSeconds: number('timeout', values.timeout, 10, 3600),
  concurrency: Math.floor(number('concurrency', values.concurrency, 1, 64)),
  timeScale: number('time-scale', values['time-scale'], 0.001, 1),
  seed: Math.floor(number('seed', values.seed, 0, 2 ** 31)),
  ...(values['no-faults'] ? { faults: null } : values.faults !== undefined ? { faults: parseFaultPlan(values.faults, '--faults') ?? null } : {}),
  onProgress: (message) => console.error(`[soak] ${message}`),
});
console.log(formatReport(report));
process.exitCode = report.violations.length === 0 && report.settled ? 0 : 1;
