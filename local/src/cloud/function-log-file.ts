import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FunctionLogLine } from '../lambda/lambda-service.ts';

/**
 * The local cloud's CloudWatch Logs: every line any function writes, as one JSON object per line
 * (JSON Lines) in one file per running cloud (`LocalCloudOptions.functionLogFile`; `npm start`
 * writes `.local-cloud/logs/functions-<api port>.jsonl`, the state file names it). In AWS each
 * function's log group holds the same lines as log events; `npm run trail` reads this file the
 * way the order-trail Logs Insights query reads those (docs/operations.md).
 */
export interface FunctionLogEvent {
  /** When the line arrived (ISO 8601): the log event's timestamp in CloudWatch Logs. */
  time: string;
  functionLogicalId: string;
  /** The invocation the line belongs to, when known. */
  requestId?: string;
  stream: 'stdout' | 'stderr';
  /** The line as the function wrote it (Powertools: a JSON log entry or an EMF metric document). */
  message: string;
}

export interface FunctionLogFile {
  append(line: FunctionLogLine): void;
  close(): Promise<void>;
}

/** Starts the file afresh (a new cloud's logs, not the last one's). */
export async function openFunctionLogFile(path: string, now: () => Date = () => new Date()): Promise<FunctionLogFile> {
  await mkdir(dirname(path), { recursive: true });
  const file = createWriteStream(path, { flags: 'w' });
  await new Promise<void>((resolve, reject) => file.once('open', () => resolve()).once('error', reject));
  return {
    append({ functionLogicalId, requestId, stream, line }) {
      const event: FunctionLogEvent = { time: now().toISOString(), functionLogicalId, ...(requestId === undefined ? {} : { requestId }), stream, message: line };
      file.write(`${JSON.stringify(event)}\n`);
    },
    close: () => new Promise((resolve) => file.end(resolve)),
  };
}

/** Every event of a function log file, in the order written; lines that are not events are skipped. */
export async function readFunctionLogFile(path: string): Promise<FunctionLogEvent[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [];
    try {
      const event = JSON.parse(line) as Partial<FunctionLogEvent>;
      return typeof event.time === 'string' && typeof event.functionLogicalId === 'string' && typeof event.message === 'string' ? [event as FunctionLogEvent] : [];
    } catch {
      // A line cut short by a cloud that was killed mid-write.
      return [];
    }
  });
}
