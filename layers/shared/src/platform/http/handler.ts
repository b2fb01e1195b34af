import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { corsAllowOrigin } from '../config.ts';
import { withObservability } from '../middleware.ts';
import { logger, tracer } from '../observability.ts';
import { toProblem } from './problem.ts';
import { correlationIdOf } from './request.ts';

export interface HttpRequest {
  event: APIGatewayProxyEvent;
  context: Context;
  /** Joins this request's logs, traces and the domain events it causes. */
  correlationId: string;
}

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type HttpRoute = (request: HttpRequest) => Promise<HttpResult>;

function baseHeaders(correlationId: string, contentType: string): Record<string, string> {
  const origin = corsAllowOrigin();
  return {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-correlation-id': correlationId,
    ...(origin === undefined ? {} : { 'access-control-allow-origin': origin, vary: 'Origin' }),
  };
}

function toProxyResult(result: HttpResult, correlationId: string): APIGatewayProxyResult {
  return {
    statusCode: result.status,
    headers: { ...baseHeaders(correlationId, 'application/json'), ...result.headers },
    body: result.body === undefined ? '' : JSON.stringify(result.body),
  };
}

function errorResult(error: unknown, event: APIGatewayProxyEvent, correlationId: string): APIGatewayProxyResult {
  const { problem, kind } = toProblem(error, event.path);
  if (kind === 'expected') {
    logger.info('Request refused', { status: problem.status, detail: problem.detail, errors: problem.errors });
  } else {
    if (kind === 'defect') {
      // DynamoDB refused a request we built: the operation (named by platform/clients.ts) says which call to fix.
      const { operation } = error as Error & { operation?: string };
      logger.error('Defect: DynamoDB refused a request as invalid', { error: error as Error, defect: true, operation });
    } else {
      logger.error('Request failed', error as Error);
    }
    tracer.addErrorAsMetadata(error as Error);
  }
  return {
    statusCode: problem.status,
    headers: baseHeaders(correlationId, 'application/problem+json'),
    body: JSON.stringify(problem),
  };
}

/**
 * Wraps a route as a Lambda handler with the project's HTTP conventions: Powertools logger
 * (Lambda context, correlation id), tracer and metrics; JSON responses with the CORS origin and
 * correlation id headers; and every error, expected or not, turned into problem+json here and
 * nowhere else.
 */
export function httpHandler(route: HttpRoute) {
  return withObservability<APIGatewayProxyEvent, APIGatewayProxyResult>(
    async (event, context) => {
      const correlationId = correlationIdOf(event);
      logger.setCorrelationId(correlationId);
      tracer.putAnnotation('correlationId', correlationId);
      try {
        return toProxyResult(await route({ event, context, correlationId }), correlationId);
      } catch (error) {
        return errorResult(error, event, correlationId);
      }
    },
    { coldStartMetric: true },
  );
}
