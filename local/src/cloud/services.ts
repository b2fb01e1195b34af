import { apiGatewayService } from '../apigateway/service.ts';
import { cloudFormationService } from '../cloudformation/service.ts';
import { codeDeployService } from '../codedeploy/service.ts';
import { cognitoService } from '../cognito/service.ts';
import { controlService } from '../control/service.ts';
import { dynamoDbService } from '../dynamodb/service.ts';
import { eventSourcesService } from '../event-sources/service.ts';
import { faultsService } from '../faults/service.ts';
import { iamService } from '../iam/service.ts';
import { lambdaService } from '../lambda/service.ts';
import { snsService } from '../sns/service.ts';
import { sqsService } from '../sqs/service.ts';
import { stepFunctionsService } from '../stepfunctions/service.ts';
import { webService } from '../web/service.ts';
import type { EmulatedService } from './emulated-service.ts';

/**
 * What start-up starts, in order; the services of one step start in parallel. A service may use
 * those of earlier steps (`context.get`). Adding a service: a folder of the same shape
 * (`from-template.ts`, its engine, its server, `service.ts`) and its step here; its entry in
 * `RunningServices` and its port check follow from its descriptor (docs/extending.md).
 */
export const LOCAL_SERVICES = [
  // In process and quick, so first: a template SQS or SNS would refuse fails before any
  // process is spawned. Queues and topics are registered before functions are read.
  [sqsService],
  [snsService],
  // Two processes, started side by side, each then given the template's tables or user pools.
  [dynamoDbService, cognitoService],
  // Every resource a role names has its local ARN now (the table's stream included). SNS asks
  // it at delivery time; functions, the state machine and the event source mappings act with it.
  [iamService],
  [faultsService],
  [lambdaService],
  // CodeDeploy runs hook functions, so after Lambda; functions reach it as AWS_ENDPOINT_URL_CODEDEPLOY.
  [stepFunctionsService, codeDeployService],
  [eventSourcesService],
  [controlService],
  [apiGatewayService],
  // DescribeStacks of the local cloud as a stack: its outputs name the API's URL.
  [cloudFormationService],
  // Last: /config.json names the API and Cognito; a stale web/dist is rebuilt first.
  [webService],
] as const satisfies ReadonlyArray<ReadonlyArray<EmulatedService>>;

type LocalService = (typeof LOCAL_SERVICES)[number][number];

/** Every emulated service by name, as it is once started: what each descriptor's `start` returns. */
export type RunningServices = { [Service in LocalService as Service['name']]: Awaited<ReturnType<Service['start']>> };
