import { apiGatewayService, type RunningApiGateway } from '../apigateway/service.ts';
import { cloudFormationService, type RunningCloudFormation } from '../cloudformation/service.ts';
import { cognitoService, type RunningCognito } from '../cognito/service.ts';
import { controlService, type RunningControl } from '../control/service.ts';
import { dynamoDbService, type RunningDynamoDb } from '../dynamodb/service.ts';
import { eventSourcesService, type RunningEventSources } from '../event-sources/service.ts';
import { faultsService, type RunningFaults } from '../faults/service.ts';
import { lambdaService, type RunningLambda } from '../lambda/service.ts';
import { type RunningSns, snsService } from '../sns/service.ts';
import { type RunningSqs, sqsService } from '../sqs/service.ts';
import type { RunningLocalStepFunctions } from '../stepfunctions/from-template.ts';
import { stepFunctionsService } from '../stepfunctions/service.ts';
import type { EmulatedService, RunningService } from './emulated-service.ts';

/** Every emulated service by name, as it is once started. */
export interface RunningServices {
  sqs: RunningSqs;
  sns: RunningSns;
  dynamodb: RunningDynamoDb;
  cognito: RunningCognito;
  faults: RunningFaults;
  lambda: RunningLambda;
  stepfunctions: RunningLocalStepFunctions & RunningService;
  eventSources: RunningEventSources;
  control: RunningControl;
  apigateway: RunningApiGateway;
  cloudformation: RunningCloudFormation;
}

/**
 * What start-up starts, in order; the services of one step start in parallel. A service may use
 * those of earlier steps (`context.get`). Adding a service: a folder of the same shape
 * (`from-template.ts`, its engine, its server, `service.ts`), its entry in `RunningServices`,
 * and its step here.
 */
export const LOCAL_SERVICES: ReadonlyArray<ReadonlyArray<EmulatedService<keyof RunningServices>>> = [
  // In process and quick, so first: a template SQS or SNS would refuse fails before any
  // process is spawned. Queues and topics are registered before functions are read.
  [sqsService],
  [snsService],
  // Two processes, started side by side, each then given the template's tables or user pools.
  [dynamoDbService, cognitoService],
  [faultsService],
  [lambdaService],
  [stepFunctionsService],
  [eventSourcesService],
  [controlService],
  [apiGatewayService],
  // DescribeStacks of the local cloud as a stack: its outputs name the API's URL.
  [cloudFormationService],
];
