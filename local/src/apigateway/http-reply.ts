/** An HTTP response ready to be written: header values as lists, body as bytes. */
export interface HttpReply {
  statusCode: number;
  headers: Record<string, string[]>;
  body: Buffer;
}

export function jsonReply(statusCode: number, body: unknown, headers: Record<string, string[]> = {}): HttpReply {
  return {
    statusCode,
    headers: { 'Content-Type': ['application/json'], ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

export function hasHeader(headers: Record<string, string[]>, name: string): boolean {
  const wanted = name.toLowerCase();
  return Object.keys(headers).some((key) => key.toLowerCase() === wanted);
}
