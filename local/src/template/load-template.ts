import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseCloudFormationYaml } from './cfn-yaml.ts';
import { applyGlobals } from './globals.ts';
import { type CfnResource, type CfnTemplate, isRecord, TemplateError } from './template-types.ts';

export interface LoadedTemplate {
  /** The template with SAM Globals already merged into each resource. */
  template: CfnTemplate;
  /** Absolute path of the template file. */
  path: string;
  /** Directory `CodeUri`/`ContentUri` paths are relative to. */
  directory: string;
}

export async function loadTemplate(path: string): Promise<LoadedTemplate> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new TemplateError(`Cannot read the template at ${absolute}: ${(error as Error).message}`);
  }
  return { template: templateFromYaml(text, absolute), path: absolute, directory: dirname(absolute) };
}

export function templateFromYaml(text: string, source = 'template'): CfnTemplate {
  const parsed = parseCloudFormationYaml(text);
  if (!isRecord(parsed) || !isRecord(parsed.Resources)) {
    throw new TemplateError(`${source} has no Resources section`);
  }
  return applyGlobals(parsed as unknown as CfnTemplate);
}

/** Resources of one type, in template order, as `[logicalId, resource]` pairs. */
export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
