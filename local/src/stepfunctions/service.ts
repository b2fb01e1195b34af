import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { registerStateMachines, type RunningLocalStepFunctions, startLocalStepFunctions } from './from-template.ts';
import { isRecord } from '../template/template-types.ts';
import { invokeThroughLambdaService } from './lambda-invoker.ts';

/**
 * The template's state machines on the local Step Functions API. Their ARNs are registered
 * before anything starts (functions' environments name them); `lambda:invoke` tasks run the
 * functions of the Lambda service, and `dynamodb:*` tasks reach DynamoDB where the functions do.
 */
export const stepFunctionsService: EmulatedService<'stepfunctions', RunningLocalStepFunctions & RunningService> = {
  name: 'stepfunctions',
  port: { option: 'sfn', purpose: 'local Step Functions', envVariable: 'LOCAL_SFN_PORT' },
  register(context) {
    registerStateMachines(context.template.template, context.resolver, context.registry);
  },
  async start(context) {
    const dynamoDbEndpoint = context.functionEndpoints.DYNAMODB;
    if (dynamoDbEndpoint === undefined) throw new Error('Step Functions starts after DynamoDB');
    const { iam } = context.get('iam');
    const running = await startLocalStepFunctions({
      template: context.template,
      resolver: context.resolver,
      invokeLambda: invokeThroughLambdaService(context.get('lambda').lambda),
      dynamoDbEndpoint,
      region: context.pseudo.region,
      timeScale: context.timeScale,
      port: context.options.ports.sfn ?? 0,
      log: context.log,
      // The state machine's role governs its Lambda invocations and its DynamoDB calls.
      authorizeTask: (machine, taskResource, parameters) =>
        machine.logicalId === undefined ? undefined : iam.authorizeTask(machine.logicalId, taskResource, isRecord(parameters) ? parameters : {}),
    });
    return { ...running, functionEndpoints: { SFN: running.endpoint } };
  },
};
