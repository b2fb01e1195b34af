import type { Jwks } from 'aws-jwt-verify/jwk';
import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import type { LocalCloudLog } from '../cloud/local-cloud-log.ts';
import { systemClock } from '../core/clock.ts';
import type { ProvisionedUserPool } from '../cognito/from-template.ts';
import { startApiServer } from './api-server.ts';
import { createCognitoAuthorizer, type TokenAuthorizer } from './cognito-authorizer.ts';
import { type ApiDefinition, readApiDefinitions } from './from-template.ts';
import { type LocalApiKey, localApiKeyFor, UsagePlanLimiter } from './usage-plan.ts';

/** The local API Gateway: the template's REST API with the functions behind it. */
export interface RunningApiGateway extends RunningService {
  url: string;
  api: ApiDefinition;
  /** The key the local cloud creates for the API's usage plan (fixed value), if it has one. */
  apiKey: LocalApiKey | undefined;
}

export const apiGatewayService: EmulatedService<'apigateway', RunningApiGateway> = {
  name: 'apigateway',
  port: { option: 'api', purpose: 'local API', envVariable: 'PORT' },
  async start(context) {
    const { log } = context;
    const { functions, lambda } = context.get('lambda');
    const api = chooseApi(readApiDefinitions(context.template.template, context.resolver, functions), log);
    const apiKey = api.usagePlan === undefined ? undefined : localApiKeyFor(api.usagePlan);
    // `!Ref` of the key (an output, PartnerApiKeyId) gives its local id, as in AWS.
    if (api.usagePlan !== undefined && apiKey !== undefined) context.registry.register(api.usagePlan.apiKeyLogicalId, { ref: apiKey.id });
    const server = await startApiServer({
      api,
      lambda,
      authorizers: await authorizersFor(api, context.get('cognito').userPools),
      // Rate and burst run on wall-clock time (not LOCAL_CLOUD_TIME_SCALE): they are about how fast clients call.
      ...(api.usagePlan === undefined || apiKey === undefined ? {} : { usagePlan: new UsagePlanLimiter(api.usagePlan, [apiKey], systemClock) }),
      host: '127.0.0.1',
      port: context.options.ports.api,
      accountId: context.pseudo.accountId,
      onRequest: (entry) => log.request(entry),
      onIntegrationError: (message) => log.error(message),
    });
    return { url: server.url, api, apiKey, stop: () => server.close() };
  },
};

function chooseApi(apis: ApiDefinition[], log: LocalCloudLog): ApiDefinition {
  const [api, ...others] = apis;
  if (api === undefined) throw new Error('The template has no function with an Api event: nothing to serve');
  if (others.length > 0) log.warn(`Serving ${api.logicalId} only; ${others.map((other) => other.logicalId).join(', ')} not served`);
  if (api.authorizePreflight) {
    log.warn(
      `${api.logicalId} puts its default authorizer on CORS preflight (AddDefaultAuthorizerToCorsPreflight is not false), ` +
        'so browsers will fail preflight requests, locally as in AWS.',
    );
  }
  return api;
}

async function authorizersFor(api: ApiDefinition, pools: ProvisionedUserPool[]): Promise<Record<string, TokenAuthorizer>> {
  const jwksByPool = new Map<string, Jwks>();
  for (const pool of pools) {
    // Fetched once: cognito-local signs every token with one fixed key.
    const response = await fetch(`${pool.issuer}/.well-known/jwks.json`);
    if (!response.ok) throw new Error(`Fetching the JWKS of ${pool.logicalId} failed with ${response.status}`);
    jwksByPool.set(pool.logicalId, (await response.json()) as Jwks);
  }
  return Object.fromEntries(
    Object.values(api.authorizers).map((authorizer) => {
      const trusted = authorizer.userPoolLogicalIds.map((logicalId) => {
        const pool = pools.find((candidate) => candidate.logicalId === logicalId);
        if (pool === undefined) throw new Error(`Authorizer ${authorizer.name} names ${logicalId}, which is not a user pool in the template`);
        return { issuer: pool.issuer, clientIds: pool.clients.map((client) => client.clientId), jwks: jwksByPool.get(logicalId)! };
      });
      return [authorizer.name, createCognitoAuthorizer(trusted, authorizer.validationExpression)];
    }),
  );
}
