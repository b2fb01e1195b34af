import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RequestLogEntry } from '../apigateway/api-server.ts';
import type { FunctionLogLine } from '../lambda/lambda-service.ts';
import { formatFunctionLine, logFormatFrom, type Painter } from './function-log-format.ts';

/** Where the local cloud reports what happens in it. */
export interface LocalCloudLog {
  info(message: string): void;
  warn(message: string): void;
  /** Problems a developer must see: 5XX causes, failed seeding. */
  error(message: string): void;
  request(entry: RequestLogEntry): void;
  functionLine(line: FunctionLogLine): void;
}

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
export const dim = paint(2);
export const bold = paint(1);
const red = paint(31);
const yellow = paint(33);
const cyan = paint(36);
const green = paint(32);

export function formatRequest(entry: RequestLogEntry): string {
  const status = entry.statusCode >= 500 ? red : entry.statusCode >= 400 ? yellow : green;
  const target = entry.functionLogicalId === undefined ? 'API Gateway' : entry.functionLogicalId;
  return `${entry.method} ${entry.path} ${status(String(entry.statusCode))} ${Math.round(entry.durationMs)} ms ${dim(`→ ${target}`)}`;
}

const consolePaint: Painter = {
  dim,
  name: cyan,
  level: (level, text) =>
    level === 'ERROR' || level === 'CRITICAL' ? red(text) : level === 'WARN' ? yellow(text) : level === 'INFO' ? green(text) : dim(text),
};

/**
 * For `npm start`: everything on the terminal. Function output is one compact line per log
 * entry or metric (function-log-format.ts); `LOCAL_LOG_FORMAT=json` shows the raw JSON.
 */
export function consoleLog(format = logFormatFrom(process.env.LOCAL_LOG_FORMAT)): LocalCloudLog {
  return {
    info: (message) => console.log(message),
    warn: (message) => console.warn(yellow(`warning: ${message}`)),
    error: (message) => console.error(red(message)),
    request: (entry) => console.log(formatRequest(entry)),
    functionLine: ({ functionLogicalId, line }) => console.log(formatFunctionLine(functionLogicalId, line, { format, paint: consolePaint })),
  };
}

/**
 * For test runs: everything goes to a file (so test output stays readable) and the errors
 * that explain a failing test are echoed to stderr as well.
 */
export async function fileLog(path: string): Promise<LocalCloudLog & { close(): Promise<void> }> {
  await mkdir(dirname(path), { recursive: true });
  const file = createWriteStream(path, { flags: 'w' });
  const write = (text: string) => file.write(`${new Date().toISOString()} ${text}\n`);
  return {
    info: write,
    warn: (message) => write(`warning: ${message}`),
    error: (message) => {
      write(message);
      console.error(`[local cloud] ${message}\n  (full log: ${path})`);
    },
    request: (entry) => write(formatRequest(entry)),
    functionLine: ({ functionLogicalId, line }) => write(`[${functionLogicalId}] ${line}`),
    close: () => new Promise((resolve) => file.end(resolve)),
  };
}
