import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { buildState, buildWebApp, distOf } from './web-build.ts';
import { startWebServer, type WebRuntimeConfig } from './web-server.ts';

/**
 * The web app (web/), served as CloudFront serves it in AWS: the built files, `/config.json`
 * naming the local API and Cognito, SPA routes, security headers. Either `url` or
 * `unavailable` (why it is not served; the rest of the cloud runs all the same).
 */
export type RunningWeb = RunningService & ({ url: string; unavailable?: undefined } | { url?: undefined; unavailable: string });

export const webService: EmulatedService<'web', RunningWeb> = {
  name: 'web',
  port: { option: 'web', purpose: 'web app', envVariable: 'LOCAL_WEB_PORT' },
  async start(context) {
    const source = context.options.web;
    const stopped = async () => {};
    if (source === undefined) return { unavailable: 'not requested (the web option is unset)', stop: stopped };
    if (source.build !== false) {
      if (!existsSync(join(source.root, 'index.html'))) return { unavailable: `no web app in ${source.root} (no index.html)`, stop: stopped };
      const state = await buildState(source);
      if (state.state !== 'fresh') {
        const started = performance.now();
        context.log.info(state.state === 'missing' ? 'Building the web app (no dist/ yet)…' : `Building the web app (${state.newer} changed)…`);
        try {
          await buildWebApp(source);
        } catch (error) {
          context.log.error(`The web app did not build: ${(error as Error).message}`);
          return { unavailable: `the build failed: ${firstLine(error)} (npm run web:build shows why)`, stop: stopped };
        }
        context.log.info(`Web app built in ${Math.round(performance.now() - started)} ms`);
      }
    }
    if (!existsSync(join(distOf(source), 'index.html'))) {
      return { unavailable: `${distOf(source)} has no index.html`, stop: stopped };
    }

    const api = context.get('apigateway');
    const cognito = context.get('cognito');
    const config = (): WebRuntimeConfig => ({
      apiUrl: api.url.replace(/\/+$/, ''),
      cognito: { endpoint: `${cognito.endpoint}/`, region: context.pseudo.region, userPoolId: cognito.primaryPool.userPoolId, clientId: cognito.clientId },
    });
    const server = await startWebServer(context.options.ports.web ?? 0, distOf(source), config);
    return { url: server.endpoint, stop: () => server.stop() };
  },
};

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
