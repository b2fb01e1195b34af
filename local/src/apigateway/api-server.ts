import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LambdaInvoker } from '../lambda/invocation.ts';
import type { ApiDefinition } from './from-template.ts';
import type { TokenAuthorizer } from './cognito-authorizer.ts';
import { preflightReply } from './cors.ts';
import { gatewayResponse, type GatewayRequest, type GatewayResponseType } from './gateway-responses.ts';
import type { HttpReply } from './http-reply.ts';
import { buildProxyEvent, type ReceivedRequest } from './proxy-event.ts';
import { mapProxyResult } from './proxy-result.ts';
import { RouteTable } from './route-table.ts';
import type { LocalApiKey, UsagePlanLimiter } from './usage-plan.ts';
import { LoopbackHttpServer } from '../core/loopback-server.ts';

/** API Gateway's payload limit for REST APIs. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** API Gateway's default integration timeout. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

export interface RequestLogEntry {
  method: string;
  path: string;
  statusCode: number;
  durationMs: number;
  functionLogicalId: string | undefined;
  requestId: string;
}

export interface ApiServerOptions {
  api: ApiDefinition;
  lambda: LambdaInvoker;
  /** One authorizer per name in `api.authorizers`. */
  authorizers: Record<string, TokenAuthorizer>;
  /** The API's usage plan with its keys: routes that require an API key are refused without one. */
  usagePlan?: UsagePlanLimiter;
  host: string;
  /** 0 picks a free port. */
  port: number;
  accountId: string;
  integrationTimeoutMs?: number;
  onRequest?: (entry: RequestLogEntry) => void;
  /** Why a request became a 5XX: for the developer's console, never for the client. */
  onIntegrationError?: (message: string) => void;
}

export interface RunningApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The local API Gateway: one REST API from the template, served over plain HTTP with the
 * same routing, authorization, proxy event, result mapping and error responses as AWS.
 */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const routes = new RouteTable(options.api.routes);
  const server = new LoopbackHttpServer('local API', options.port, (request, response) => {
    handle(request, options, routes)
      .then(({ reply, functionLogicalId, requestId, started }) => {
        write(response, reply);
        options.onRequest?.({
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          statusCode: reply.statusCode,
          durationMs: performance.now() - started,
          functionLogicalId,
          requestId,
        });
      })
      .catch((error: unknown) => {
        options.onIntegrationError?.(`Local API failure on ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}`);
        if (!response.headersSent) write(response, gatewayResponse('INTEGRATION_FAILURE', {}, 'local'));
      });
  }, { host: options.host });
  const url = await server.start();
  return { url, port: server.listeningPort, close: () => server.stop() };
}

interface Handled {
  reply: HttpReply;
  functionLogicalId: string | undefined;
  requestId: string;
  started: number;
}

async function handle(request: IncomingMessage, options: ApiServerOptions, routes: RouteTable): Promise<Handled> {
  const started = performance.now();
  const receivedAt = new Date();
  const requestId = randomUUID();
  const { api } = options;
  const done = (reply: HttpReply, functionLogicalId?: string): Handled => ({ reply, functionLogicalId, requestId, started });
  const gatewayRequest: GatewayRequest = {
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]),
    ),
    query: new URL(request.url ?? '/', 'http://localhost').searchParams,
  };
  const gateway = (type: GatewayResponseType, path?: Record<string, string>) =>
    gatewayResponse(type, api.gatewayResponses, requestId, { ...gatewayRequest, ...(path === undefined ? {} : { path }) });

  const body = await readBody(request);
  if (body === 'too-large') return done(gateway('REQUEST_TOO_LARGE'));

  const method = (request.method ?? 'GET').toUpperCase();
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const match = routes.match(method, path);

  if (match.kind === 'missing' || (match.kind === 'preflight' && api.cors === undefined)) {
    return done(gateway('MISSING_AUTHENTICATION_TOKEN'));
  }

  const authorizerName =
    match.kind === 'route' ? match.route.authorizer : api.authorizePreflight ? (api.defaultAuthorizer ?? null) : null;
  let claims: Record<string, string> | undefined;
  if (authorizerName !== null) {
    const authorizer = options.authorizers[authorizerName];
    if (authorizer === undefined) throw new Error(`No authorizer ${authorizerName} is configured`);
    const headerName = api.authorizers[authorizerName]?.header ?? 'Authorization';
    const decision = authorizer.authorize(headerValue(request, headerName));
    if (!decision.allowed) {
      const type = decision.reason === 'expired' ? 'EXPIRED_TOKEN_UNAUTHORIZED' : 'UNAUTHORIZED';
      return done(gateway(type, match.kind === 'route' ? match.pathParameters : undefined));
    }
    claims = decision.claims;
  }

  if (match.kind === 'preflight') return done(preflightReply(api.cors!, match.methods));

  const { route, pathParameters } = match;
  let apiKey: LocalApiKey | undefined;
  if (route.apiKeyRequired) {
    const key = headerValue(request, 'x-api-key');
    const decision = options.usagePlan?.admit(key) ?? 'INVALID_API_KEY';
    if (decision !== 'allowed') return done(gateway(decision, pathParameters));
    apiKey = options.usagePlan?.keyFor(key);
  }
  const received: ReceivedRequest = {
    method,
    url: request.url ?? '/',
    rawHeaders: request.rawHeaders,
    body,
    sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
  };
  const event = buildProxyEvent(received, {
    route,
    pathParameters,
    apiId: api.logicalId.toLowerCase(),
    stage: api.stageName,
    accountId: options.accountId,
    requestId,
    receivedAt,
    claims,
    binaryMediaTypes: api.binaryMediaTypes,
    ...(apiKey === undefined ? {} : { apiKey }),
  });

  const outcome = await withTimeout(
    options.lambda.invoke(route.functionLogicalId, event),
    options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS,
  );
  const fn = route.functionLogicalId;
  if (outcome === 'timeout') {
    options.onIntegrationError?.(`${method} ${path} → ${fn}: no response within the API Gateway integration timeout`);
    return done(gateway('INTEGRATION_TIMEOUT', pathParameters), fn);
  }
  if (outcome.kind === 'error') {
    const { errorType, errorMessage, trace } = outcome.error;
    options.onIntegrationError?.(`${method} ${path} → ${fn} failed: ${errorType}: ${errorMessage}\n${trace.join('\n')}`.trim());
    return done(gateway('INTEGRATION_FAILURE', pathParameters), fn);
  }
  const mapped = mapProxyResult(outcome.payload);
  if (!mapped.ok) {
    options.onIntegrationError?.(`${method} ${path} → ${fn}: ${mapped.reason}`);
    return done(gateway('INTEGRATION_FAILURE', pathParameters), fn);
  }
  mapped.reply.headers['x-amzn-RequestId'] = [requestId];
  return done(mapped.reply, fn);
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.at(-1) : value;
}

async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
    request.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) {
      request.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function write(response: ServerResponse, reply: HttpReply): void {
  response.statusCode = reply.statusCode;
  for (const [name, values] of Object.entries(reply.headers)) response.setHeader(name, values);
  response.setHeader('Content-Length', reply.body.length);
  response.end(reply.body);
}
