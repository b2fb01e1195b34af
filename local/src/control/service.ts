import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { apiReference } from './api-reference.ts';
import { startControlServer } from './control-server.ts';

/** The local-only control endpoint (faults, event source batches, the API reference); see control-server.ts. */
export interface RunningControl extends RunningService {
  url: string;
}

export const controlService: EmulatedService<'control', RunningControl> = {
  name: 'control',
  port: { option: 'control', purpose: 'local control endpoint', envVariable: 'LOCAL_CONTROL_PORT' },
  async start(context) {
    const server = await startControlServer({
      lambda: context.get('lambda').lambda,
      journal: context.get('eventSources').journal,
      eventSources: context.get('eventSources').mappings,
      port: context.options.ports.control ?? 0,
      onFaultChange: (message) => context.log.warn(message),
      pages: apiReference({ apiUrl: () => context.get('apigateway').url }),
    });
    // Lambda's Invoke API for the functions too (a CodeDeploy hook invokes the version it tests).
    return { url: server.url, functionEndpoints: { LAMBDA: server.url }, stop: () => server.close() };
  },
};
