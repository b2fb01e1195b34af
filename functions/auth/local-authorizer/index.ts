import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { createLocalAuthorizer } from './authorizer.ts';

/** `sam local start-api` only: LocalAuthorizer=true in template.yaml (docs/decisions.md, D22). */
function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run \`npm run sam-local-env\` and pass the file it writes to sam local with --env-vars`);
  }
  return value;
}

let authorize: ReturnType<typeof createLocalAuthorizer> | undefined;

// Configured on the first request, so that the module loads (sam build checks, `npm run bench`)
// without the local settings; a request without them fails with what to do.
export const handler = (event: APIGatewayTokenAuthorizerEvent) => {
  authorize ??= createLocalAuthorizer({
    issuer: required('USER_POOL_ISSUER'),
    clientId: required('USER_POOL_CLIENT_ID'),
    jwksUri: process.env.USER_POOL_JWKS_URI,
  });
  return authorize(event);
};
