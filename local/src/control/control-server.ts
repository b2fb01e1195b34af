import type { IncomingMessage, ServerResponse } from 'node:http';
import { textFault } from '../lambda/faults.ts';
import type { LocalLambdaService } from '../lambda/lambda-service.ts';
import type { LocalFunctionDefinition } from '../lambda/from-template.ts';
import { findFunction } from '../lambda/function-names.ts';
import { LOCAL_FUNCTION_VERSION } from '../template/resource-registry.ts';
import type { EventSourceJournal } from '../event-sources/journal.ts';
import type { RunningEventSourceMappings } from '../event-sources/mappings.ts';
import { LoopbackHttpServer } from '../core/loopback-server.ts';

/**
 * The local cloud's control endpoint: test and demo facilities that AWS does not have, on a port
 * of their own (loopback only), so the emulated APIs stay exactly AWS-shaped.
 *
 *   GET    /__local/health
 *   GET    /__local/faults                      → { faults: [{ functionLogicalId, description }] }
 *   PUT    /__local/faults/{functionLogicalId}  { match, errorType?, errorMessage? }
 *            the function fails for every record (of a batch event) or event whose JSON contains
 *            `match` (see lambda/faults.ts); replaces the function's previous fault
 *   DELETE /__local/faults/{functionLogicalId}  clears it; DELETE /__local/faults clears all
 *   GET    /__local/event-source-batches?functionLogicalId=…&after=…
 *            → { batches: [...] }: what each event source mapping invocation got and what failed
 *   GET    /__local/event-sources               → { paused }
 *   POST   /__local/event-sources/pause|resume  → { paused }: pauses every event source mapping
 *            (SQS pollers, stream readers) without losing its place, e.g. to time a request
 *            without the background work it causes; resume carries on where they stopped
 *   GET    /__local/docs                        the API reference page (api-reference.ts)
 *   POST   /__local/functions/{functionLogicalId}/invocations   (body: the event)
 *            → { requestId, durationMs, initDurationMs?, payload | error, logLines: [...] }:
 *            a synchronous invocation in the cloud's own environments (same environment
 *            variables, endpoints and role as every other invocation), with the log lines the
 *            function wrote for it; `npm run invoke` (cli/invoke.ts) calls this
 *   POST   /2015-03-31/functions/{name}/invocations
 *            Lambda's Invoke (RequestResponse) for a function by name, ARN or logical id, so
 *            tools that take a LambdaClient (the stream replay) run here unchanged: the body is
 *            the event, the answer the payload, `X-Amz-Function-Error: Unhandled` on an error
 */

export interface ControlServerOptions {
  lambda: Pick<LocalLambdaService, 'setFault' | 'clearFault' | 'clearFaults' | 'listFaults' | 'invoke' | 'invokeCapturingLogs' | 'functions'>;
  journal: EventSourceJournal;
  /** The event source mappings, to pause and resume. */
  eventSources?: Pick<RunningEventSourceMappings, 'pause' | 'resume' | 'paused'>;
  /** 0 picks a free port. */
  port: number;
  onFaultChange?: (message: string) => void;
  /** Serves more pages (the API reference): answers and returns true for the paths it owns. */
  pages?: (request: IncomingMessage, response: ServerResponse) => boolean;
}

export interface RunningControlServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
/** Lambda's limit on a synchronous invocation's payload. */
const MAX_INVOCATION_BYTES = 6 * 1024 * 1024;

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startControlServer(options: ControlServerOptions): Promise<RunningControlServer> {
  const server = new LoopbackHttpServer('local control endpoint', options.port, (request, response) => {
    if (options.pages?.(request, response) === true) return;
    handle(request, options)
      .then(({ status, body, headers }) => reply(response, status, body, headers))
      .catch((error: unknown) => {
        const status = error instanceof HttpProblem ? error.status : 500;
        reply(response, status, { message: error instanceof Error ? error.message : String(error) });
      });
  });
  return { url: await server.start(), close: () => server.stop() };
}

async function handle(request: IncomingMessage, options: ControlServerOptions): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const method = request.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '');
  const { lambda } = options;

  if (path === '/__local/health' && method === 'GET') return { status: 200, body: { ok: true } };

  if (path === '/__local/faults') {
    if (method === 'GET') return { status: 200, body: { faults: lambda.listFaults() } };
    if (method === 'DELETE') {
      lambda.clearFaults();
      options.onFaultChange?.('All local faults cleared');
      return { status: 204 };
    }
  }

  const fault = /^\/__local\/faults\/([A-Za-z0-9]+)$/.exec(path);
  if (fault !== null) {
    const functionLogicalId = fault[1]!;
    if (method === 'PUT') {
      const body = await readJson(request);
      const match = body.match;
      if (typeof match !== 'string' || match === '') throw new HttpProblem(400, 'The body needs "match": a non-empty string to look for in the input');
      for (const name of ['errorType', 'errorMessage'] as const) {
        if (body[name] !== undefined && typeof body[name] !== 'string') throw new HttpProblem(400, `"${name}" must be a string`);
      }
      const error = { errorType: body.errorType as string | undefined, errorMessage: body.errorMessage as string | undefined };
      const description = `inputs containing ${JSON.stringify(match)}`;
      try {
        lambda.setFault(functionLogicalId, textFault(match, error), description);
      } catch (problem) {
        throw new HttpProblem(404, (problem as Error).message);
      }
      options.onFaultChange?.(`Local fault set: ${functionLogicalId} fails for ${description}`);
      return { status: 200, body: { functionLogicalId, description } };
    }
    if (method === 'DELETE') {
      if (lambda.clearFault(functionLogicalId)) options.onFaultChange?.(`Local fault cleared: ${functionLogicalId}`);
      return { status: 204 };
    }
  }

  const invocation = /^\/__local\/functions\/([A-Za-z0-9]+)\/invocations$/.exec(path);
  if (invocation !== null && method === 'POST') {
    const functionLogicalId = invocation[1]!;
    const known = lambda.functions.map((fn) => fn.logicalId);
    if (!known.includes(functionLogicalId)) {
      throw new HttpProblem(404, `No function ${functionLogicalId} in the template (known: ${known.join(', ')})`);
    }
    const event = await readBody(request, MAX_INVOCATION_BYTES);
    const { outcome, logLines } = await lambda.invokeCapturingLogs(functionLogicalId, event);
    const { kind, ...result } = outcome;
    return { status: 200, body: { functionLogicalId, ...result, logLines: logLines.map(({ stream, line }) => ({ stream, line })) } };
  }
  if (path === '/__local/event-sources' && method === 'GET' && options.eventSources !== undefined) {
    return { status: 200, body: { paused: options.eventSources.paused } };
  }
  const pauseOrResume = /^\/__local\/event-sources\/(pause|resume)$/.exec(path);
  if (pauseOrResume !== null && method === 'POST' && options.eventSources !== undefined) {
    if (pauseOrResume[1] === 'pause') options.eventSources.pause();
    else options.eventSources.resume();
    return { status: 200, body: { paused: options.eventSources.paused } };
  }
  if (path === '/__local/event-source-batches' && method === 'GET') {
    const after = url.searchParams.get('after');
    const batches = options.journal.list({
      ...(url.searchParams.get('functionLogicalId') !== null && { functionLogicalId: url.searchParams.get('functionLogicalId')! }),
      ...(after !== null && { after: Number(after) }),
    });
    return { status: 200, body: { batches } };
  }

  const lambdaInvoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
  if (lambdaInvoke !== null && method === 'POST') {
    const name = decodeURIComponent(lambdaInvoke[1]!);
    const qualifier = url.searchParams.get('Qualifier') ?? undefined;
    let fn: LocalFunctionDefinition;
    try {
      fn = findFunction(lambda.functions, name, qualifier);
    } catch (error) {
      throw new HttpProblem((error as Error).name === 'ResourceNotFoundException' ? 404 : 400, (error as Error).message);
    }
    const outcome = await lambda.invoke(fn.logicalId, await readBody(request, MAX_INVOCATION_BYTES));
    // A qualified call (alias or version) runs the one local version; an unqualified one $LATEST.
    const qualified = qualifier !== undefined || name.replace(/^arn:[^:]+:lambda:[^:]*:[^:]*:function:/, '').includes(':');
    const headers = { 'x-amz-executed-version': qualified && !name.endsWith(':$LATEST') && qualifier !== '$LATEST' ? LOCAL_FUNCTION_VERSION : '$LATEST' };
    if (outcome.kind === 'success') return { status: 200, body: outcome.payload ?? null, headers };
    return { status: 200, body: outcome.error, headers: { ...headers, 'x-amz-function-error': 'Unhandled' } };
  }
  throw new HttpProblem(404, `No ${method} ${url.pathname} here; see local/README.md, "Control endpoint"`);
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const parsed = await readBody(request, MAX_BODY_BYTES).catch((error: unknown) => {
    if (error instanceof HttpProblem && error.status === 413) throw error;
    return undefined; // Not JSON: answered below.
  });
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw new HttpProblem(400, 'The body must be a JSON object');
}

/** Any JSON value (an invocation's event may be a string or an array, as Lambda allows). */
async function readBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpProblem(413, 'Body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    throw new HttpProblem(400, `The body is not JSON: ${(error as Error).message}`);
  }
}

function reply(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
