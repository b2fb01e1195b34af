import { CloudFormationClient, DescribeStackResourceCommand, DescribeStacksCommand, ListStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';

/**
 * What the checkpoints of modules 7–9 share: they look at the learner's deployed stack in AWS,
 * not at the local cloud. The stack is named by TEST_STACK, the variable `npm run test:stack`
 * uses (module 7 exports it; `npm run checkpoint -- 7 --stack <name>` sets it), and region and
 * credentials come from the usual AWS settings (AWS_PROFILE, AWS_REGION, SSO...).
 *
 * A checkpoint answers within DEADLINE_MS whatever AWS does (no credentials, no network, a
 * region that does not answer): a learner gets one line saying why, never a hang.
 */
export type StackCheckpointResult = { ok: true; summary: string } | { ok: false; reason: string };

export const STACK_VARIABLE = 'TEST_STACK';
export const DEADLINE_MS = 20_000;

/** A reason a checkpoint cannot go on: thrown inside a check, turned into `{ ok: false }`. */
export class NotYet extends Error {}

export function stackNameFrom(env: NodeJS.ProcessEnv, module: number): string {
  const name = env[STACK_VARIABLE]?.trim();
  if (!name) throw new NotYet(`no stack named: export ${STACK_VARIABLE}=<your stack> (module 7, "Name your stack") or run npm run checkpoint -- ${module} --stack <your stack>`);
  return name;
}

/** Settings for every SDK client of a checkpoint: few retries, short timeouts. */
export const clientSettings = { maxAttempts: 2, requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 } };

/**
 * Runs a check and turns what can go wrong into one line: a NotYet's reason, or what AWS (or
 * the lack of it) said. Bounded by DEADLINE_MS.
 */
export async function runStackCheck(check: () => Promise<string>, deadlineMs = DEADLINE_MS): Promise<StackCheckpointResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NotYet(`AWS did not answer within ${deadlineMs / 1000} s: check your network, AWS_REGION and credentials (aws sts get-caller-identity)`)), deadlineMs);
  });
  try {
    return { ok: true, summary: await Promise.race([check(), deadline]) };
  } catch (error) {
    return { ok: false, reason: reasonFor(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** One line for what went wrong, with what to do where the error says enough. */
export function reasonFor(error: unknown): string {
  if (error instanceof NotYet) return error.message;
  const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'no AWS credentials: sign in (aws configure, aws sso login) or set AWS_PROFILE, then try again';
  }
  if (/Region is missing/i.test(message)) return 'no AWS region: set AWS_REGION (or a profile with a region), then try again';
  if (['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException'].includes(name)) {
    const dummy = process.env.AWS_ACCESS_KEY_ID === 'test' ? ' (AWS_ACCESS_KEY_ID=test is the local cloud\'s dummy key: use a terminal where you did not run npm run env)' : '';
    return `AWS rejected the credentials (${name})${dummy}`;
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException') return `not allowed: ${firstLine(message)}`;
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNRESET/.test(`${(error as { code?: string }).code ?? ''} ${message}`)) {
    return `could not reach AWS (${firstLine(message)}): check your network and AWS_REGION`;
  }
  return `${name}: ${firstLine(message)}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

/** The stack, or undefined when there is none of that name (CloudFormation's ValidationError). */
export async function findStack(cloudFormation: CloudFormationClient, stackName: string): Promise<Stack | undefined> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0];
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

/** The stack, settled (not IN_PROGRESS) and in one of `expected` states; otherwise NotYet says what to do. */
export async function settledStack(cloudFormation: CloudFormationClient, stackName: string, region: string, expected: readonly string[]): Promise<Stack> {
  const stack = await findStack(cloudFormation, stackName);
  if (stack === undefined) throw new NotYet(`there is no stack ${stackName} in ${region}: deploy it (module 7, sam deploy --guided), or set ${STACK_VARIABLE} and AWS_REGION to yours`);
  const status = stack.StackStatus ?? 'UNKNOWN';
  if (status.endsWith('_IN_PROGRESS')) throw new NotYet(`stack ${stackName} is ${status}: wait until sam deploy has finished, then try again`);
  if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED') {
    throw new NotYet(`stack ${stackName} is ${status}: its creation failed (aws cloudformation describe-stack-events --stack-name ${stackName}); delete it with sam delete and deploy again`);
  }
  if (!expected.includes(status)) throw new NotYet(`stack ${stackName} is ${status}, expected ${expected.join(' or ')}`);
  return stack;
}

export function outputsOf(stack: Stack): Record<string, string> {
  return Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
}

/** The outputs a check needs, or NotYet naming the missing ones. */
export function requireOutputs<K extends string>(stack: Stack, keys: readonly K[]): Record<K, string> {
  const outputs = outputsOf(stack);
  const missing = keys.filter((key) => !outputs[key]);
  if (missing.length > 0) throw new NotYet(`stack ${stack.StackName} has no output ${missing.join(', ')}: is it this project's stack (template.yaml)?`);
  return outputs as Record<K, string>;
}

/** The physical id of one of the stack's resources (a deleted stack is named by its id). */
export async function physicalIdOf(cloudFormation: CloudFormationClient, stack: string, logicalId: string): Promise<string> {
  const { StackResourceDetail } = await cloudFormation.send(new DescribeStackResourceCommand({ StackName: stack, LogicalResourceId: logicalId }));
  const id = StackResourceDetail?.PhysicalResourceId;
  if (!id) throw new NotYet(`stack ${stack} has no resource ${logicalId}`);
  return id;
}

/** The id of the newest deleted stack of that name (CloudFormation keeps it for 90 days), if any. */
export async function deletedStackId(cloudFormation: CloudFormationClient, stackName: string): Promise<string | undefined> {
  let NextToken: string | undefined;
  let newest: { id: string; deletedAt: number } | undefined;
  do {
    const page = await cloudFormation.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'], NextToken }));
    for (const summary of page.StackSummaries ?? []) {
      if (summary.StackName !== stackName || summary.StackId === undefined) continue;
      const deletedAt = summary.DeletionTime?.getTime() ?? 0;
      if (newest === undefined || deletedAt > newest.deletedAt) newest = { id: summary.StackId, deletedAt };
    }
    NextToken = page.NextToken;
  } while (NextToken !== undefined);
  return newest?.id;
}

/** A GET with a time limit; the body parsed as JSON when it is JSON. */
export async function getJson(url: string, timeoutMs = 10_000): Promise<{ status: number; headers: Headers; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new NotYet(`GET ${url} failed: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : String((error as Error).cause ?? (error as Error).message)}`);
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the text is the body (an HTML error page, an S3 error document).
  }
  return { status: response.status, headers: response.headers, body };
}

/** The stack's region as the SDK resolves it (the learner's settings), for messages. */
export async function regionOf(client: CloudFormationClient): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    throw new NotYet('no AWS region: set AWS_REGION (or a profile with a region), then try again');
  }
}
