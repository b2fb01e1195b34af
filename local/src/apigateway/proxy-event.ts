import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createHash, randomBytes } from 'node:crypto';
import type { RouteDefinition } from './from-template.ts';

/** An HTTP request as the server received it, before API Gateway semantics are applied. */
export interface ReceivedRequest {
  method: string;
  /** Path plus query string, as sent (`/products?limit=5`). */
  url: string;
  /** Node's `rawHeaders`: alternating names and values, names in the case the client sent. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
}

export interface EventContext {
  route: RouteDefinition;
  pathParameters: Record<string, string>;
  apiId: string;
  stage: string;
  accountId: string;
  requestId: string;
  receivedAt: Date;
  /** Claims from the Cognito authorizer, already flattened to strings. */
  claims: Record<string, string> | undefined;
  binaryMediaTypes: string[];
  /** The usage plan key the request was admitted with, on a route that requires one. */
  apiKey?: { id: string; value: string };
}

/**
 * Builds the REST API Lambda proxy event (payload format 1.0) API Gateway would send for this
 * request, so handlers see locally exactly the fields they get in AWS.
 */
export function buildProxyEvent(request: ReceivedRequest, context: EventContext): APIGatewayProxyEvent {
  const [rawPath = '/', rawQuery] = splitOnce(request.url, '?');
  const headers = groupHeaders(request.rawHeaders);
  const traceId = `Root=1-${Math.floor(context.receivedAt.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  // What API Gateway adds in front of the integration.
  appendHeader(headers, 'X-Forwarded-For', request.sourceIp);
  setHeader(headers, 'X-Forwarded-Port', String(portOf(headers)));
  setHeader(headers, 'X-Forwarded-Proto', 'http');
  setHeader(headers, 'X-Amzn-Trace-Id', traceId);

  const singleHeaders = Object.fromEntries([...headers.values()].map(({ name, values }) => [name, values.at(-1)!]));
  const multiValueHeaders = Object.fromEntries([...headers.values()].map(({ name, values }) => [name, values]));
  const query = parseQuery(rawQuery);
  const contentType = headers.get('content-type')?.values.at(-1);
  const isBinary = request.body.length > 0 && isBinaryMediaType(contentType, context.binaryMediaTypes);
  const host = headers.get('host')?.values.at(-1) ?? 'localhost';
  const hasClaims = context.claims !== undefined;

  return {
    resource: context.route.resourcePath,
    path: rawPath,
    httpMethod: request.method.toUpperCase(),
    headers: singleHeaders,
    multiValueHeaders,
    queryStringParameters: query.size === 0 ? null : Object.fromEntries([...query].map(([key, values]) => [key, values.at(-1)!])),
    multiValueQueryStringParameters: query.size === 0 ? null : Object.fromEntries(query),
    pathParameters: Object.keys(context.pathParameters).length === 0 ? null : context.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      ...(hasClaims ? { authorizer: { claims: context.claims } } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      extendedRequestId: randomBytes(6).toString('base64url'),
      httpMethod: request.method.toUpperCase(),
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: context.apiKey?.value ?? null,
        apiKeyId: context.apiKey?.id ?? null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headers.get('user-agent')?.values.at(-1) ?? null,
        userArn: null,
      },
      path: `/${context.stage}${rawPath}`,
      protocol: 'HTTP/1.1',
      requestId: context.requestId,
      requestTime: formatRequestTime(context.receivedAt),
      requestTimeEpoch: context.receivedAt.getTime(),
      resourceId: createHash('sha1').update(context.route.resourcePath).digest('hex').slice(0, 6),
      resourcePath: context.route.resourcePath,
      stage: context.stage,
    },
    body: request.body.length === 0 ? null : request.body.toString(isBinary ? 'base64' : 'utf8'),
    isBase64Encoded: isBinary,
  } as APIGatewayProxyEvent;
}

type HeaderGroups = Map<string, { name: string; values: string[] }>;

/** Groups repeated headers case-insensitively, keeping the case the client first used. */
function groupHeaders(rawHeaders: string[]): HeaderGroups {
  const groups: HeaderGroups = new Map();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    appendHeader(groups, rawHeaders[index]!, rawHeaders[index + 1]!);
  }
  return groups;
}

function appendHeader(groups: HeaderGroups, name: string, value: string): void {
  const key = name.toLowerCase();
  const group = groups.get(key);
  if (group === undefined) groups.set(key, { name, values: [value] });
  else if (key === 'x-forwarded-for') group.values = [`${group.values.at(-1)}, ${value}`];
  else group.values.push(value);
}

function setHeader(groups: HeaderGroups, name: string, value: string): void {
  groups.set(name.toLowerCase(), { name: groups.get(name.toLowerCase())?.name ?? name, values: [value] });
}

function portOf(headers: HeaderGroups): number {
  const host = headers.get('host')?.values.at(-1) ?? '';
  const port = Number(host.split(':')[1]);
  return Number.isInteger(port) && port > 0 ? port : 80;
}

function parseQuery(rawQuery: string | undefined): Map<string, string[]> {
  const query = new Map<string, string[]>();
  if (rawQuery === undefined || rawQuery === '') return query;
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    query.set(key, [...(query.get(key) ?? []), value]);
  }
  return query;
}

export function isBinaryMediaType(contentType: string | undefined, binaryMediaTypes: string[]): boolean {
  if (contentType === undefined || binaryMediaTypes.length === 0) return false;
  const [type = ''] = contentType.toLowerCase().split(';');
  const mediaType = type.trim();
  return binaryMediaTypes.some((pattern) => {
    const wanted = pattern.toLowerCase();
    if (wanted === '*/*') return true;
    if (wanted.endsWith('/*')) return mediaType.startsWith(wanted.slice(0, -1));
    return mediaType === wanted;
  });
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime`, CLF-formatted: `22/Nov/2025:09:56:01 +0000`. */
export function formatRequestTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
