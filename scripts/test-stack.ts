/**
 * `npm run test:stack -- --stack <name>`: the HTTP and end-to-end suites (tests/http) against a
 * deployed stack, with the region and credentials of the usual AWS settings (AWS_PROFILE,
 * AWS_REGION, ...). See README, "Run the tests against your stack".
 *
 * `npm run test:stack:local` (`--local`): the same run against a local cloud reached only over
 * HTTP and the AWS APIs (CI runs it; tests/support/stack-setup.ts).
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const local = args.includes('--local');
const stackIndex = args.indexOf('--stack');
const stackName = local ? 'local' : stackIndex >= 0 ? args[stackIndex + 1] : undefined;
const rest = args.filter((argument, index) => argument !== '--local' && index !== stackIndex && index !== stackIndex + 1);
if (stackName === undefined || stackName.startsWith('-')) {
  console.error('Usage: npm run test:stack -- --stack <stack name> [vitest arguments]   (or npm run test:stack:local)');
  process.exit(1);
}

const result = spawnSync('npx', ['vitest', 'run', '--project', 'stack', ...rest], {
  stdio: 'inherit',
  env: { ...process.env, TEST_STACK: stackName, ...(local && { TEST_STACK_LOCAL: '1' }) },
});
process.exit(result.status ?? 1);
