import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from './aws-error.ts';
import { readBody } from './loopback-server.ts';

/**
 * The AWS query protocol, server side: form-encoded `POST` bodies with `Action=<Name>` and
 * flattened lists and maps, XML responses (`<NameResponse><NameResult>…`) in the service's
 * namespace, errors as `<ErrorResponse><Error><Type><Code><Message>`. SNS speaks it.
 */
export interface AwsQueryService {
  /** The XML namespace of responses, e.g. `http://sns.amazonaws.com/doc/2010-03-31/`. */
  xmlns: string;
  /** Each action returns the inner XML of its `<NameResult>` element. */
  actions: Record<string, (params: URLSearchParams) => string>;
}

/** Answers one request: finds the action, runs it, writes its result or its error. */
export async function answerAwsQuery(service: AwsQueryService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  try {
    const params = new URLSearchParams((await readBody(req)).toString('utf8'));
    const actionName = params.get('Action') ?? '';
    const action = req.method === 'POST' ? service.actions[actionName] : undefined;
    if (!action) throw new AwsError('InvalidAction', 400, `The action ${actionName} is not valid for this web service.`);
    const result = action(params);
    reply(res, requestId, 200, envelope(service.xmlns, `${actionName}Response`, `<${actionName}Result>${result}</${actionName}Result>`, requestId));
  } catch (caught) {
    const error =
      caught instanceof AwsError
        ? caught
        : new AwsError('InternalFailure', 500, caught instanceof Error ? caught.message : String(caught), { senderFault: false });
    reply(res, requestId, error.statusCode, errorResponseXml(service.xmlns, error, requestId));
  }
}

export function errorResponseXml(xmlns: string, error: AwsError, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${xmlns}"><Error>` +
    `<Type>${error.senderFault ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}

function envelope(xmlns: string, element: string, content: string, requestId: string): string {
  return (
    `<?xml version="1.0"?>\n<${element} xmlns="${xmlns}">${content}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>` +
    `</${element}>`
  );
}

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function reply(res: ServerResponse, requestId: string, status: number, xml: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}
