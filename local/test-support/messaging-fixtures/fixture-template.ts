import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createIntrinsicResolver, DEFAULT_PSEUDO } from '../../src/template/intrinsics.ts';
import { templateFromYaml } from '../../src/template/load-template.ts';
import { ResourceRegistry } from '../../src/template/resource-registry.ts';
import type { CfnTemplate } from '../../src/template/template-types.ts';

const DIRECTORY = fileURLToPath(new URL('./', import.meta.url));
const TEXT = readFileSync(`${DIRECTORY}template.yaml`, 'utf8');

/** The messaging fixture template, fresh each time, optionally edited first (for the failure cases). */
export function fixtureTemplate(edit?: (resources: CfnTemplate['Resources']) => void) {
  const template = templateFromYaml(TEXT, 'messaging fixture');
  edit?.(template.Resources);
  const registry = new ResourceRegistry(template, DEFAULT_PSEUDO);
  const resolver = createIntrinsicResolver({ template, resources: registry });
  return { template, registry, resolver, directory: DIRECTORY };
}

/** The properties of a fixture resource, to edit in place. */
export function propertiesOf(resources: CfnTemplate['Resources'], logicalId: string): Record<string, unknown> {
  const resource = resources[logicalId];
  if (resource === undefined) throw new Error(`No ${logicalId} in the fixture`);
  resource.Properties ??= {};
  return resource.Properties;
}

export const NAMING = { endpoint: 'http://127.0.0.1:4566', accountId: DEFAULT_PSEUDO.accountId, region: DEFAULT_PSEUDO.region };
