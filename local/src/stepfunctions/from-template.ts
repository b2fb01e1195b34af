import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { type LoadedTemplate, resourcesOfType } from '../template/load-template.ts';
import type { ResourceRegistry } from '../template/resource-registry.ts';
import { type CfnTemplate, isRecord, TemplateError } from '../template/template-types.ts';
import { definitionProblems, InvalidDefinitionError, parseDefinition } from './definition.ts';
import { SfnError } from './errors.ts';
import type { InvokeLambda } from './integrations.ts';
import { LocalStepFunctions, type LocalStepFunctionsOptions, type StateMachineType, type StepFunctionsLog } from './local-step-functions.ts';
import { SfnServer } from './sfn-server.ts';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';

/**
 * The template's state machines, read the way a deployment would create them: the definition
 * from `DefinitionUri` (relative to the template; JSON or YAML) or inline, `DefinitionSubstitutions`
 * applied with their intrinsics resolved, then checked. An invalid definition stops start-up
 * with the resource, the file and every problem, instead of failing the first execution.
 */

export interface TemplateStateMachine {
  logicalId: string;
  name: string;
  arn: string;
  /** The ASL JSON, substitutions applied. */
  definition: string;
  roleArn: string;
  type: StateMachineType;
  /** Where the definition came from, for messages: the file, or `inline`. */
  source: string;
}

const STATE_MACHINE_TYPES = ['AWS::Serverless::StateMachine', 'AWS::StepFunctions::StateMachine'];
const PLACEHOLDER = /\$\{([^}]*)\}/g;

function stateMachineResources(template: CfnTemplate) {
  return STATE_MACHINE_TYPES.flatMap((type) => resourcesOfType(template, type));
}

/**
 * Registers each state machine's local name and ARN, so `!Ref`/`!GetAtt` in function
 * environments resolve to the state machine the local service runs. Call it before
 * `readFunctionDefinitions` (without it, names default to the logical id, which also agrees).
 */
export function registerStateMachines(template: CfnTemplate, resolver: IntrinsicResolver, registry: ResourceRegistry): void {
  const { partition, region, accountId } = resolver.pseudo;
  for (const [logicalId, resource] of stateMachineResources(template)) {
    if (!resolver.isActive(logicalId)) continue;
    const properties = resource.Properties ?? {};
    const declared = resolver.resolve(resource.Type === 'AWS::Serverless::StateMachine' ? properties.Name : properties.StateMachineName);
    const name = typeof declared === 'string' && declared !== '' ? declared : logicalId;
    const arn = `arn:${partition}:states:${region}:${accountId}:stateMachine:${name}`;
    registry.register(logicalId, { ref: arn, attributes: { Arn: arn, Name: name, StateMachineRevisionId: `${arn}:1` } });
  }
}

export async function readStateMachineDefinitions(
  loaded: LoadedTemplate,
  resolver: IntrinsicResolver,
  { onWarning = () => undefined }: { onWarning?: (message: string) => void } = {},
): Promise<TemplateStateMachine[]> {
  const machines: TemplateStateMachine[] = [];
  for (const [logicalId, resource] of stateMachineResources(loaded.template)) {
    if (!resolver.isActive(logicalId)) continue;
    const serverless = resource.Type === 'AWS::Serverless::StateMachine';
    const properties = resource.Properties ?? {};
    const { text, source } = await definitionText(logicalId, properties, serverless, loaded, resolver);
    const definition = substitute(text, resolver.resolve(properties.DefinitionSubstitutions ?? {}), logicalId, source);
    checkDefinition(definition, logicalId, source);

    const arn = String(resolver.resolve({ Ref: logicalId }));
    const name = String(resolver.resolve({ 'Fn::GetAtt': [logicalId, 'Name'] }));
    const role = resolver.resolve(serverless ? properties.Role : properties.RoleArn);
    const { accountId, stackName } = resolver.pseudo;
    const roleArn = typeof role === 'string' ? role : `arn:aws:iam::${accountId}:role/${stackName}-${logicalId}Role`;
    const type = resolver.resolve(serverless ? properties.Type : properties.StateMachineType) === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
    if (type === 'EXPRESS') onWarning(`State machine ${logicalId} is EXPRESS; the local Step Functions runs it with Standard semantics (history, idempotent names)`);
    if (serverless && isRecord(properties.Events) && Object.keys(properties.Events).length > 0) {
      onWarning(`State machine ${logicalId}: Events (${Object.keys(properties.Events).join(', ')}) are not emulated; start executions with StartExecution`);
    }
    machines.push({ logicalId, name, arn, definition, roleArn, type, source });
  }
  return machines;
}

async function definitionText(
  logicalId: string,
  properties: Record<string, unknown>,
  serverless: boolean,
  loaded: LoadedTemplate,
  resolver: IntrinsicResolver,
): Promise<{ text: string; source: string }> {
  const uri = serverless ? properties.DefinitionUri : undefined;
  if (uri !== undefined) {
    const path = resolver.resolve(uri);
    if (typeof path !== 'string') throw new TemplateError(`State machine ${logicalId}: DefinitionUri must be a local file path; an S3 location cannot be read locally`);
    const file = resolve(loaded.directory, path);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new TemplateError(`State machine ${logicalId}: cannot read DefinitionUri ${path}: ${(error as Error).message}`);
    }
    // A YAML definition is turned into the JSON a deployment would upload.
    return { text: /\.ya?ml$/i.test(file) ? JSON.stringify(parseYaml(text), null, 2) : text, source: path };
  }
  if (!serverless && properties.DefinitionString !== undefined) {
    const text = resolver.resolve(properties.DefinitionString);
    if (typeof text !== 'string') throw new TemplateError(`State machine ${logicalId}: DefinitionString does not resolve to a string`);
    return { text, source: 'inline' };
  }
  if (properties.Definition !== undefined) return { text: JSON.stringify(resolver.resolve(properties.Definition), null, 2), source: 'inline' };
  if (properties.DefinitionS3Location !== undefined) {
    throw new TemplateError(`State machine ${logicalId}: DefinitionS3Location cannot be read locally; use DefinitionUri with a local file`);
  }
  throw new TemplateError(`State machine ${logicalId} has no definition (${serverless ? 'Definition or DefinitionUri' : 'Definition or DefinitionString'})`);
}

/** `${Name}` → its DefinitionSubstitutions value, as CloudFormation substitutes the definition string. */
function substitute(text: string, substitutions: unknown, logicalId: string, source: string): string {
  const values = isRecord(substitutions) ? substitutions : {};
  const missing = new Set<string>();
  const result = text.replace(PLACEHOLDER, (placeholder, key: string) => {
    if (!(key in values)) {
      missing.add(key);
      return placeholder;
    }
    const value = values[key];
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new TemplateError(`State machine ${logicalId}: DefinitionSubstitutions.${key} is not a string, number or boolean`);
    }
    return String(value);
  });
  if (missing.size > 0) {
    throw new TemplateError(`State machine ${logicalId} (${source}) uses ${[...missing].map((key) => `\${${key}}`).join(', ')}, which DefinitionSubstitutions does not define`);
  }
  return result;
}

function checkDefinition(text: string, logicalId: string, source: string): void {
  let problems: string[];
  try {
    problems = definitionProblems(parseDefinition(text));
  } catch (error) {
    if (!(error instanceof InvalidDefinitionError)) throw error;
    problems = error.problems;
  }
  if (problems.length > 0) {
    throw new TemplateError(`State machine ${logicalId} (${source}) has an invalid definition:\n  - ${problems.join('\n  - ')}`);
  }
}

// ---- the entry point the local cloud calls -------------------------------------------------------

export interface StartLocalStepFunctionsOptions {
  template: LoadedTemplate;
  resolver: IntrinsicResolver;
  /** Runs a function for `lambda:invoke` tasks; see `invokeThroughLambdaService`. */
  invokeLambda: InvokeLambda;
  /** DynamoDB Local, for `dynamodb:*` tasks. */
  dynamoDbEndpoint: string;
  /** Defaults to the resolver's region. */
  region?: string;
  /** See LocalStepFunctionsOptions.timeScale. */
  timeScale?: number;
  /** 0 (the default): any free port. */
  port?: number;
  log?: StepFunctionsLog;
  /** See LocalStepFunctionsOptions.authorizeTask. */
  authorizeTask?: LocalStepFunctionsOptions['authorizeTask'];
}

export interface RunningLocalStepFunctions {
  /** For `AWS_ENDPOINT_URL_SFN` (the Lambda service's `serviceEndpoints.SFN`). */
  endpoint: string;
  service: LocalStepFunctions;
  stateMachines: TemplateStateMachine[];
  /** Aborts running executions and closes the endpoint. */
  stop(): Promise<void>;
}

/**
 * Reads the template's state machines, creates them in a local Step Functions service and
 * serves the Step Functions API on 127.0.0.1. Throws a TemplateError (nothing left running) if a
 * definition is invalid or uses something the local service cannot run.
 */
export async function startLocalStepFunctions(options: StartLocalStepFunctionsOptions): Promise<RunningLocalStepFunctions> {
  const { resolver, log } = options;
  const stateMachines = await readStateMachineDefinitions(options.template, resolver, { onWarning: (message) => log?.warn(message) });
  const region = options.region ?? resolver.pseudo.region;
  const dynamoDb = new DynamoDBClient({
    endpoint: options.dynamoDbEndpoint,
    region,
    credentials: LOCAL_CREDENTIALS,
  });
  const service = new LocalStepFunctions({
    invokeLambda: options.invokeLambda,
    dynamoDb,
    region,
    accountId: resolver.pseudo.accountId,
    timeScale: options.timeScale,
    log,
    ...(options.authorizeTask !== undefined && { authorizeTask: options.authorizeTask }),
  });
  const server = new SfnServer({ service, port: options.port ?? 0 });
  try {
    for (const machine of stateMachines) {
      try {
        service.createStateMachine(machine);
      } catch (error) {
        if (error instanceof SfnError) throw new TemplateError(`State machine ${machine.logicalId} (${machine.source}): ${error.message}`);
        throw error;
      }
    }
    const endpoint = await server.start();
    return {
      endpoint,
      service,
      stateMachines,
      stop: async () => {
        await server.stop();
        await service.stop();
        dynamoDb.destroy();
      },
    };
  } catch (error) {
    dynamoDb.destroy();
    throw error;
  }
}
