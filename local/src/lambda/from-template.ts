import { existsSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { resourcesOfType } from '../template/load-template.ts';
import { type CfnTemplate, isRecord } from '../template/template-types.ts';

/** One `AWS::Serverless::Function`, as the local Lambda service runs it. */
export interface LocalFunctionDefinition {
  logicalId: string;
  /** `FunctionName` if the template sets one, else the logical id. */
  functionName: string;
  /** `AutoPublishAlias` (`live`), if the function publishes versions behind an alias. */
  alias: string | undefined;
  /** The TypeScript (or JavaScript) source the handler lives in, or why it cannot be found. */
  entry: { path: string; exportName: string } | { problem: string };
  /** Directory of the function's code (`CodeUri`), the local `LAMBDA_TASK_ROOT`. */
  codeDirectory: string;
  runtime: string;
  timeoutSeconds: number;
  memorySizeMb: number;
  /** `ReservedConcurrentExecutions`, if set: at most this many environments at once. */
  reservedConcurrency: number | undefined;
  /** `Environment.Variables` (Globals merged, intrinsics resolved), every value a string. */
  environment: Record<string, string>;
  loggingConfig: { logFormat?: string; applicationLogLevel?: string; systemLogLevel?: string };
  /**
   * `Events` exactly as written, intrinsics unresolved, so each event reader can see which
   * resource a `!Ref OrdersApi` or `!GetAtt OrdersTable.StreamArn` points at.
   */
  events: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

// Lambda's defaults when the template says nothing.
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;
const SOURCE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'];

/**
 * Reads every active serverless function of the template. Call it after the local resources
 * are registered: environment variables like `USER_POOL_ID: !Ref UserPool` resolve then.
 */
export function readFunctionDefinitions(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
  templateDirectory: string,
): LocalFunctionDefinition[] {
  return resourcesOfType(template, 'AWS::Serverless::Function')
    .filter(([logicalId]) => resolver.isActive(logicalId))
    .map(([logicalId, resource]) => {
      const raw = resource.Properties ?? {};
      // Events are read raw (see `events` above); everything else is resolved.
      const { Events: events, ...rest } = raw;
      const properties = resolver.resolve(rest) as Record<string, unknown>;
      const codeDirectory = resolve(templateDirectory, String(properties.CodeUri ?? '.'));
      const logging = isRecord(properties.LoggingConfig) ? properties.LoggingConfig : {};
      return {
        logicalId,
        functionName: typeof properties.FunctionName === 'string' ? properties.FunctionName : logicalId,
        alias: typeof properties.AutoPublishAlias === 'string' ? properties.AutoPublishAlias : undefined,
        entry: findEntry(logicalId, properties, resource.Metadata, codeDirectory),
        codeDirectory,
        runtime: String(properties.Runtime ?? 'nodejs24.x'),
        timeoutSeconds: Number(properties.Timeout ?? DEFAULT_TIMEOUT_SECONDS),
        memorySizeMb: Number(properties.MemorySize ?? DEFAULT_MEMORY_MB),
        reservedConcurrency:
          properties.ReservedConcurrentExecutions === undefined
            ? undefined
            : Number(properties.ReservedConcurrentExecutions),
        environment: environmentVariables(properties.Environment),
        loggingConfig: {
          logFormat: optionalString(logging.LogFormat),
          applicationLogLevel: optionalString(logging.ApplicationLogLevel),
          systemLogLevel: optionalString(logging.SystemLogLevel),
        },
        events: readEvents(events),
      };
    });
}

/**
 * `Handler: index.handler` names module `index` and export `handler`; the build metadata
 * (`EntryPoints: [index.ts]`) says which source file becomes that module, so run the source.
 */
export function findEntry(
  logicalId: string,
  properties: Record<string, unknown>,
  metadata: Record<string, unknown> | undefined,
  codeDirectory: string,
): LocalFunctionDefinition['entry'] {
  if (properties.InlineCode !== undefined || typeof properties.CodeUri !== 'string') {
    return { problem: `${logicalId}: only a local CodeUri directory can run locally` };
  }
  const handler = String(properties.Handler ?? '');
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) return { problem: `${logicalId}: Handler "${handler}" is not <module>.<export>` };
  const moduleName = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);

  const buildProperties = isRecord(metadata?.BuildProperties) ? metadata.BuildProperties : {};
  const entryPoints = Array.isArray(buildProperties.EntryPoints) ? buildProperties.EntryPoints.map(String) : [];
  const withoutExtension = (file: string) => file.slice(0, file.length - extname(file).length);
  const candidates = [
    ...entryPoints.filter(
      (entry) => withoutExtension(entry) === moduleName || withoutExtension(basename(entry)) === moduleName,
    ),
    ...SOURCE_EXTENSIONS.map((extension) => `${moduleName}${extension}`),
  ].map((file) => join(codeDirectory, file));
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined) {
    return { problem: `${logicalId}: no handler source found; looked for ${candidates.join(', ')}` };
  }
  return { path: found, exportName };
}

function environmentVariables(environment: unknown): Record<string, string> {
  const variables = isRecord(environment) && isRecord(environment.Variables) ? environment.Variables : {};
  // Lambda environment values are strings; CloudFormation stringifies numbers and booleans.
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, String(value)]));
}

function readEvents(events: unknown): LocalFunctionDefinition['events'] {
  if (!isRecord(events)) return {};
  return Object.fromEntries(
    Object.entries(events)
      .filter(([, event]) => isRecord(event) && typeof event.Type === 'string')
      .map(([name, event]) => {
        const { Type, Properties } = event as { Type: string; Properties?: unknown };
        return [name, { Type, Properties: isRecord(Properties) ? Properties : {} }];
      }),
  );
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The logical id a raw `!Ref X`, `!GetAtt X.Attr` or `!Sub '${X.Arn}'` points at, for event
 * readers matching `RestApiId`, `Stream`, `Queue` or `Topic` to a resource.
 */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  const sub = value['Fn::Sub'];
  const match = typeof sub === 'string' ? /^\$\{([A-Za-z0-9]+)(\.[^}]+)?\}$/.exec(sub) : null;
  return match?.[1];
}
