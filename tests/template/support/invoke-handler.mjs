// Imports a built handler and invokes it once, as the Lambda runtime would, in a fresh Node
// process: `node --import ./lambda-node-path-hook.mjs invoke-handler.mjs <index.mjs> <event.json>`.
// Prints one line `@@invoke@@{"phase":"import"|"invoke"|"done",...}` (logs may surround it)
// and exits; the exit code is 0 only when the handler returned.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [handlerFile, eventFile] = process.argv.slice(2);
const report = (outcome, code) => {
  process.stdout.write(`\n@@invoke@@${JSON.stringify(outcome)}\n`, () => process.exit(code));
};
// Batch handlers fail a fully failed batch with one error that holds each record's error
// (Powertools' FullBatchFailureError.recordErrors); those are described too.
const describeError = (error) => {
  const inner = error?.recordErrors ?? error?.errors;
  return {
    name: error?.name,
    code: error?.code,
    message: String(error?.message ?? error),
    ...(Array.isArray(inner) ? { errors: inner.map(describeError) } : {}),
  };
};

let handler;
try {
  ({ handler } = await import(pathToFileURL(handlerFile).href));
  if (typeof handler !== 'function') throw new TypeError(`${handlerFile} does not export a handler function`);
} catch (error) {
  report({ phase: 'import', error: describeError(error) }, 2);
}

if (handler) {
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'function';
  const deadline = Date.now() + 10_000;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2025/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  try {
    const event = JSON.parse(readFileSync(eventFile, 'utf8'));
    const result = await handler(event, context);
    report({ phase: 'done', result }, 0);
  } catch (error) {
    report({ phase: 'invoke', error: describeError(error) }, 3);
  }
}
