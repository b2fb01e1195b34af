import type { EmulatedService, RunningService, ServiceContext } from '../cloud/emulated-service.ts';
import type { Clock } from '../core/clock.ts';
import type { MessageSink } from '../core/message-sink.ts';
import { scaledClock } from '../core/time-scale.ts';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import type { ResourceRegistry } from '../template/resource-registry.ts';
import { type CfnTemplate, TemplateError } from '../template/template-types.ts';
import { type QueueDefinition, readQueueDefinitions } from './from-template.ts';
import type { Queue } from './queue.ts';
import { QueueRegistry } from './registry.ts';
import { SqsServer } from './sqs-server.ts';

export interface ProvisionedQueue extends QueueDefinition {
  queue: Queue;
}

/** The local SQS service with the template's queues. */
export interface RunningSqs extends RunningService {
  endpoint: string;
  queues: ProvisionedQueue[];
  queueRegistry: QueueRegistry;
  /** The queues' clock (scaled by the time scale); pollers of these queues must use it too. */
  clock: Clock;
  /** Where another service (SNS) sends to the queue with this ARN, if there is one. */
  messageSink(queueArn: string): MessageSink | undefined;
}

export interface StartLocalSqsOptions {
  template: CfnTemplate;
  resolver: IntrinsicResolver;
  /** Receives every queue's local values (its Ref is its URL on the local endpoint). */
  registry: ResourceRegistry;
  /** 0 picks a free port. */
  port: number;
  /** See core/time-scale.ts; 1 runs the queues exactly as the template says. */
  timeScale: number;
}

/**
 * Starts the SQS endpoint and creates every `AWS::SQS::Queue` of the template in it. Anything
 * SQS would refuse fails here, naming the resource, with nothing left running.
 */
export async function startLocalSqs(options: StartLocalSqsOptions): Promise<RunningSqs> {
  const { accountId, region } = options.resolver.pseudo;
  const clock = scaledClock(options.timeScale);
  const queueRegistry = new QueueRegistry({ accountId, region, clock });
  const server = new SqsServer({ registry: queueRegistry, port: options.port });
  const stop = async () => {
    queueRegistry.cancelWaits();
    await server.stop();
  };
  try {
    const endpoint = await server.start();
    const definitions = readQueueDefinitions(options.template, options.resolver, options.registry, { endpoint, accountId, region });
    const queues = definitions.map((definition) => ({ ...definition, queue: createQueue(queueRegistry, definition) }));
    return {
      endpoint,
      queues,
      queueRegistry,
      clock,
      messageSink: (queueArn) => queueRegistry.getByArn(queueArn),
      functionEndpoints: { SQS: endpoint },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function createQueue(queueRegistry: QueueRegistry, definition: QueueDefinition): Queue {
  try {
    return queueRegistry.create(definition.name, definition.settings);
  } catch (error) {
    // SQS's own wording ("Value 50000 for parameter VisibilityTimeout is invalid…"), with the resource named.
    throw new TemplateError(`${definition.logicalId}: ${(error as Error).message}`);
  }
}

export const sqsService: EmulatedService<'sqs', RunningSqs> = {
  name: 'sqs',
  port: { option: 'sqs', purpose: 'local SQS', envVariable: 'LOCAL_SQS_PORT' },
  start: (context: ServiceContext) =>
    startLocalSqs({
      template: context.template.template,
      resolver: context.resolver,
      registry: context.registry,
      port: context.options.ports.sqs ?? 0,
      timeScale: context.timeScale,
    }),
};
