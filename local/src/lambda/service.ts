import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { type LocalFunctionDefinition, readFunctionDefinitions } from './from-template.ts';
import { logDeniedCall } from '../iam/service.ts';
import { LocalLambdaService } from './lambda-service.ts';

/** The template's functions, each run in its own worker environments. */
export interface RunningLambda extends RunningService {
  functions: LocalFunctionDefinition[];
  lambda: LocalLambdaService;
}

/**
 * Reads every function after the services before it have registered their resources (so
 * `!Ref FulfilmentQueue` resolves to the local queue's URL). Environments are made at a
 * function's first invocation, after start-up, from every service's function endpoints.
 */
export const lambdaService: EmulatedService<'lambda', RunningLambda> = {
  name: 'lambda',
  async start(context) {
    const { options, log, pseudo } = context;
    const functions = readFunctionDefinitions(context.template.template, context.resolver, context.template.directory);
    const lambda = new LocalLambdaService({
      functions,
      region: pseudo.region,
      accountId: pseudo.accountId,
      serviceEndpoints: context.functionEndpoints,
      overrides: options.functionEnvironment,
      onLog: (line) => log.functionLine(line),
      onFault: (functionLogicalId, message) => log.warn(`Local fault in ${functionLogicalId}: ${message}`),
      onInvocation: options.onInvocation,
      onSdkCall: options.onSdkCall,
      iam: context.get('iam').iam,
      onIamDenied: (call) => logDeniedCall(log, call),
    });
    return { functions, lambda, stop: () => lambda.stop() };
  },
};
