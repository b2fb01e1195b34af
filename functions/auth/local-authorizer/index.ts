import { createLocalAuthorizer } from './authorizer.ts';

/** `sam local start-api` only: LocalAuthorizer=true in template.yaml (docs/decisions.md, D22). */
function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run \`npm run sam-local-env\` and pass its file to sam local with --env-vars`);
  }
  return value;
}

export const handler = createLocalAuthorizer({
  issuer: required('USER_POOL_ISSUER'),
  clientId: required('USER_POOL_CLIENT_ID'),
  jwksUri: process.env.USER_POOL_JWKS_URI,
});
