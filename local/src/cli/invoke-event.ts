import { readFile } from 'node:fs/promises';
import type { SeededProduct } from '../seed/seed-catalog.ts';

/**
 * The parts of `npm run invoke` (cli/invoke.ts): its arguments, the event file, the sample ids
 * it replaces with the cloud's (see events/README.md), and the call to a running cloud.
 */

export class InvokeUsageError extends Error {
  override name = 'InvokeUsageError';
}

export const INVOKE_USAGE = 'Usage: npm run invoke -- <FunctionLogicalId> [-e events/<file>.json]';

export interface InvokeArguments {
  functionLogicalId: string;
  /** Absent: the event is `{}`, as `sam local invoke` without `-e` sends. */
  eventPath?: string;
}

export function parseInvokeArguments(argv: readonly string[]): InvokeArguments {
  const positional: string[] = [];
  let eventPath: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '-e' || argument === '--event') {
      eventPath = argv[index + 1];
      if (eventPath === undefined || eventPath.startsWith('-')) throw new InvokeUsageError(`${argument} needs the path of an event file. ${INVOKE_USAGE}`);
      index += 1;
    } else if (argument.startsWith('-')) {
      throw new InvokeUsageError(`Unknown option ${argument}. ${INVOKE_USAGE}`);
    } else {
      positional.push(argument);
    }
  }
  if (positional.length !== 1) throw new InvokeUsageError(INVOKE_USAGE);
  return { functionLogicalId: positional[0]!, ...(eventPath !== undefined && { eventPath }) };
}

/** Reads and parses the event file, with a message that names the file and what is wrong. */
export async function readEventFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvokeUsageError(code === 'ENOENT' ? `No event file ${path}` : `Cannot read the event file ${path}: ${(error as Error).message}`);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new InvokeUsageError(`The event file ${path} is not JSON: ${(error as Error).message}`);
  }
  return text;
}

/**
 * The product id the samples in events/ use. Nothing has it in a fresh cloud, so the command
 * replaces it with the first seeded product's id, everywhere in the event (including inside
 * JSON strings such as an API event's body or an SQS record's SNS envelope).
 */
export const SAMPLE_PRODUCT_ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

export function withSeededIds(eventJson: string, products: ReadonlyArray<Pick<SeededProduct, 'productId'>>): unknown {
  const product = products[0];
  const text = product === undefined ? eventJson : eventJson.replaceAll(SAMPLE_PRODUCT_ID, product.productId);
  return JSON.parse(text) as unknown;
}

/** What the control endpoint answers for an invocation (control/control-server.ts). */
export interface InvocationReport {
  requestId: string;
  durationMs: number;
  initDurationMs?: number;
  payload?: unknown;
  error?: { errorType: string; errorMessage: string; trace: string[] };
  logLines: Array<{ stream: 'stdout' | 'stderr'; line: string }>;
}

/** Invokes a function in a running local cloud through its control endpoint. */
export async function invokeThroughControlEndpoint(controlUrl: string, functionLogicalId: string, event: unknown): Promise<InvocationReport> {
  const response = await fetch(`${controlUrl}/__local/functions/${functionLogicalId}/invocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  const body = (await response.json()) as InvocationReport & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `The control endpoint answered ${response.status}`);
  return body;
}
