import type { LocalCloud } from '../cloud/local-cloud.ts';
import { bold, dim } from '../cloud/local-cloud-log.ts';

/** The short summary `npm start` prints once everything is up. */
export function banner(cloud: LocalCloud): string {
  const people = cloud.users
    .map((user) => `${user.email}${user.groups.length > 0 ? ` (${user.groups.join(', ')})` : ' (customer)'}`)
    .join(', ');
  const firstCustomer = cloud.users.find((user) => user.groups.length === 0)?.email ?? cloud.users[0]?.email ?? 'alice@example.com';
  const tables = cloud.tables.map((table) => table.tableName).join(', ');
  const deadLetterQueues = cloud.queues.filter((queue) => queue.deadLetterFor.length > 0).length;
  const queues = `${cloud.queues.length} queues (${deadLetterQueues} dead-letter), ${cloud.messaging.topics.length} topics`;
  const scale = cloud.timeScale === 1 ? '' : ` ${bold(`time ×${Math.round((1 / cloud.timeScale) * 100) / 100}`)} (LOCAL_CLOUD_TIME_SCALE=${cloud.timeScale})`;
  return [
    '',
    bold('Local cloud is running'),
    `  API        ${bold(cloud.apiUrl)}`,
    cloud.webUrl === undefined ? `  Web        ${dim(`not served: ${cloud.webUnavailable ?? 'unknown reason'}`)}` : `  Web        ${bold(cloud.webUrl)}`,
    `  API docs   ${cloud.controlUrl}/__local/docs ${dim('(OpenAPI: docs/openapi.json)')}`,
    `  DynamoDB   ${cloud.dynamoDbEndpoint} ${dim(`(tables: ${tables}; in memory, fresh on every start)`)}`,
    `  Cognito    ${cloud.cognitoEndpoint} ${dim(`(pool ${cloud.userPoolId}, client ${cloud.clientId})`)}`,
    `  SQS        ${cloud.sqsEndpoint} ${dim(`(${queues})`)}${scale}`,
    `  SNS        ${cloud.snsEndpoint}`,
    `  StepFns    ${cloud.sfnEndpoint} ${dim(`(${cloud.stepFunctions.stateMachines.map((machine) => machine.logicalId).join(', ')})`)}`,
    `  Events     ${dim(`${cloud.eventSources.functionLogicalIds.length} functions behind queues and streams`)}`,
    `  Users      ${people}`,
    `  Password   ${cloud.password}`,
    `  Catalog    ${cloud.products.length} products`,
    ...(cloud.apiKey === undefined ? [] : [`  API key    ${cloud.apiKey} ${dim('(x-api-key on the /partner routes: usage plan rate, burst and daily quota)')}`]),
    '',
    `  ID token:  npm run token -- ${firstCustomer}`,
    `  Try:       curl -H "Authorization: $(npm run -s token -- ${firstCustomer})" ${cloud.apiUrl}/orders`,
    ...(cloud.apiKey === undefined ? [] : [`  Partners:  curl -H "x-api-key: ${cloud.apiKey}" ${cloud.apiUrl}/partner/products`]),
    `  Queues:    npm run queues ${dim('(depths and dead letters)')}; npm run queues -- redrive <DLQ>`,
    `  Sagas:     npm run executions -- <orderId> ${dim('(status, current state and history)')}`,
    '',
    dim('  Ctrl-C stops everything.'),
    '',
  ].join('\n');
}
