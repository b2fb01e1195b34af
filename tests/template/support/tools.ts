import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The template suite drives real tools: the Python ones (sam, cfn-lint, checkov) from the
// project venv, Node 24 and esbuild from node_modules. Nothing here talks to AWS: credentials
// are dummies, SAM telemetry and checkov's update check are off.

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const TEMPLATE = path.join(ROOT, 'template.yaml');
const VENV_BIN = path.join(ROOT, '.venv', 'bin');
const NODE_BIN = path.join(ROOT, 'node_modules', '.bin');

/** A tool from the project venv; fails with the fix when the venv is missing. */
export function venvTool(name: 'sam' | 'cfn-lint' | 'checkov' | 'python'): string {
  const tool = path.join(VENV_BIN, name);
  if (!existsSync(tool)) {
    throw new Error(
      `${tool} is missing. The template tests need the project venv: ` +
        `python3 -m venv .venv && .venv/bin/pip install aws-sam-cli cfn-lint checkov (versions: .ci/run)`,
    );
  }
  return tool;
}

/** Node 24 from the `node` npm package: what Lambda's nodejs24.x runs, whatever node is on PATH. */
export function node24(): string {
  const node = path.join(NODE_BIN, 'node');
  if (!existsSync(node)) throw new Error(`${node} is missing: run npm ci at the repository root`);
  return node;
}

/** The environment every tool runs with: repo tools first on PATH, dummy AWS credentials. */
export function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: [NODE_BIN, VENV_BIN, process.env.PATH ?? ''].join(path.delimiter),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    SAM_CLI_TELEMETRY: '0',
    CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true',
    ...extra,
  };
}

/**
 * The environment of a user's shell after `npm ci`: the PATH without any `node_modules/.bin`
 * (which `npm test` puts first) nor anything else that holds esbuild, so SAM must find the
 * project's esbuild the way the README promises. The project venv stays on it, standing in
 * for a SAM CLI installed on PATH.
 */
export function userShellEnv(): NodeJS.ProcessEnv {
  const plain = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !dir.split(path.sep).includes('node_modules') && !existsSync(path.join(dir, 'esbuild')));
  return toolEnv({ PATH: [VENV_BIN, ...plain].join(path.delimiter) });
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertion messages. */
  output: string;
}

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? toolEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    output: `$ ${command} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`,
  };
}

/**
 * The SAM template as JSON, parsed by SAM's own YAML loader (short-form tags expanded), or as
 * the SAM transform turns it into CloudFormation, optionally with parameter values and with other
 * packaged artifact URIs (logical id → URI; what `sam package` writes changes with the content).
 */
export function loadTemplate(
  mode: 'parse' | 'transform' = 'parse',
  options: { parameters?: Record<string, string>; artifacts?: Record<string, string> } = {},
): SamTemplate {
  const extra = [
    ...Object.entries(options.parameters ?? {}).map(([name, value]) => `param:${name}=${value}`),
    ...Object.entries(options.artifacts ?? {}).map(([logicalId, uri]) => `artifact:${logicalId}=${uri}`),
  ];
  const result = run(venvTool('python'), [path.join(ROOT, 'tests/template/support/sam_template.py'), mode, TEMPLATE, ...extra]);
  if (result.status !== 0) throw new Error(`Could not ${mode} template.yaml:\n${result.output}`);
  return JSON.parse(result.stdout) as SamTemplate;
}

export interface SamResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface SamTemplate {
  Globals?: { Function?: Record<string, unknown> };
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, SamResource>;
  Outputs?: Record<string, unknown>;
}

/** One resource of the template; fails the test when it is missing. */
export function resource(template: SamTemplate, logicalId: string): SamResource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`${logicalId} is not in template.yaml`);
  return found;
}

/** Logical id → resource, for every resource of the given type. */
export function resourcesOfType(template: SamTemplate, type: string): Array<[string, SamResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
