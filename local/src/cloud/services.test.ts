import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EmulatedService } from './emulated-service.ts';
import { requestedPorts } from './local-cloud.ts';
import { LOCAL_SERVICES } from './services.ts';

// Every emulated service is one folder of the same shape, and start-up knows it only through
// LOCAL_SERVICES (docs/extending.md, "A new emulated service"). These checks catch the steps
// that are easy to forget: the folder without its descriptor in the list, a name used twice, a
// port nobody checks or no variable sets.

const SRC = new URL('../', import.meta.url);
const services: ReadonlyArray<EmulatedService> = LOCAL_SERVICES.flat();

/** Services that read nothing from template.yaml, so have no from-template.ts: why, for each. */
const NOTHING_FROM_THE_TEMPLATE: Record<string, string> = {
  faults: 'the fault plan comes from LOCAL_FAULTS or the faults option, not from the template',
  control: 'the control endpoint is local-only (faults, event source batches): nothing in AWS to mirror',
  web: 'the web app is a build of web/, configured from the running API and Cognito, not from template resources',
};

/** The folders of local/src that hold a service descriptor, with the descriptors they export. */
async function serviceFolders(): Promise<Array<{ folder: string; descriptors: EmulatedService[] }>> {
  const folders = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/service.ts`, SRC)));
  return Promise.all(
    folders.map(async ({ name: folder }) => {
      const module = (await import(new URL(`${folder}/service.ts`, SRC).href)) as Record<string, unknown>;
      const descriptors = Object.values(module).filter(
        (value): value is EmulatedService => typeof value === 'object' && value !== null && 'name' in value && typeof (value as { start?: unknown }).start === 'function',
      );
      return { folder, descriptors };
    }),
  );
}

describe('LOCAL_SERVICES', () => {
  it('names each service once', () => {
    const names = services.map((service) => service.name);
    expect(new Set(names).size, names.join(', ')).toBe(names.length);
  });

  it('holds the descriptor of every folder with a service.ts, and nothing else', async () => {
    const folders = await serviceFolders();
    for (const { folder, descriptors } of folders) {
      expect(descriptors, `local/src/${folder}/service.ts exports one EmulatedService`).toHaveLength(1);
      expect(services, `local/src/${folder}/service.ts: add ${descriptors[0]?.name} to a step of LOCAL_SERVICES (cloud/services.ts)`).toContain(descriptors[0]);
    }
    expect(folders.flatMap(({ descriptors }) => descriptors)).toHaveLength(services.length);
  });

  it('has a from-template.ts in every service folder, except the services that read nothing from the template', async () => {
    const folders = await serviceFolders();
    const without = folders.filter(({ folder }) => !existsSync(new URL(`${folder}/from-template.ts`, SRC)));
    expect(without.map(({ descriptors }) => descriptors[0]?.name).sort()).toEqual(Object.keys(NOTHING_FROM_THE_TEMPLATE).sort());
  });
});

describe('ports', () => {
  const ALL = { api: 3000, dynamoDb: 8700, cognito: 9700, sqs: 8710, sns: 8720, control: 8730, sfn: 8740, web: 8750 };

  it('every port option is some service’s, and start-up checks each one it was given', () => {
    const checked = requestedPorts(ALL);
    expect(checked.map(({ port }) => port).sort()).toEqual(Object.values(ALL).sort());
    expect(new Set(checked.map(({ envVariable }) => envVariable)).size).toBe(checked.length);
  });

  it('checks nothing for a port left to the OS (0 or unset)', () => {
    expect(requestedPorts({ api: 0, dynamoDb: 8700, cognito: 0 })).toEqual([{ port: 8700, purpose: 'DynamoDB Local', envVariable: 'LOCAL_DYNAMODB_PORT' }]);
  });

  it('npm start reads each service’s port variable (cli/start.ts)', () => {
    const start = readFileSync(new URL('cli/start.ts', SRC), 'utf8');
    const missing = services.flatMap(({ port }) => (port === undefined || start.includes(`portFromEnv('${port.envVariable}'`) ? [] : [port.envVariable]));
    expect(missing).toEqual([]);
  });
});
