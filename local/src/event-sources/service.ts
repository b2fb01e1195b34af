import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { messagingView } from '../cloud/local-messaging.ts';
import { functionArn } from '../lambda/lambda-environment.ts';
import { type EventSourceDefinition, readEventSourceDefinitions } from './from-template.ts';
import { EventSourceJournal } from './journal.ts';
import { type RunningEventSourceMappings, startEventSourceMappings } from './mappings.ts';

/** Lambda's event source mappings of the template: SQS pollers and DynamoDB stream readers. */
export interface RunningEventSources extends RunningService {
  definitions: EventSourceDefinition[];
  mappings: RunningEventSourceMappings;
  /** Every mapping invocation, for the control endpoint and the tests. */
  journal: EventSourceJournal;
}

/**
 * Mappings start before the catalog is seeded: products never pass the stream's filter, and
 * whatever is written from now on is delivered.
 */
export const eventSourcesService: EmulatedService<'eventSources', RunningEventSources> = {
  name: 'eventSources',
  async start(context) {
    const { pseudo, log } = context;
    const { functions, lambda } = context.get('lambda');
    const messaging = messagingView(context.get('sqs'), context.get('sns'));
    const journal = new EventSourceJournal();
    const { iam } = context.get('iam');
    const reading = readEventSourceDefinitions(functions, context.resolver, messaging.queues);
    for (const warning of reading.warnings) log.warn(warning);
    const mappings = await startEventSourceMappings({
      definitions: reading.mappings,
      lambda,
      messaging,
      dynamoDbEndpoint: context.get('dynamodb').endpoint,
      region: pseudo.region,
      functionArn: (functionLogicalId) => {
        const fn = functions.find((candidate) => candidate.logicalId === functionLogicalId);
        return fn === undefined ? functionLogicalId : functionArn(fn, { region: pseudo.region, accountId: pseudo.accountId, serviceEndpoints: {} });
      },
      timeScale: context.timeScale,
      journal,
      authorize: (functionLogicalId, checks) => iam.authorizeOnBehalfOf(functionLogicalId, checks),
      log,
    });
    return { definitions: reading.mappings, mappings, journal, stop: () => mappings.stop() };
  },
};
