import {
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { IntrinsicResolver } from '../template/intrinsics.ts';
import { resourcesOfType } from '../template/load-template.ts';
import { type ResourceRegistry, userPoolValues } from '../template/resource-registry.ts';
import { type CfnTemplate, TemplateError } from '../template/template-types.ts';
import { type PasswordPolicy, passwordPolicyOf } from './password-policy.ts';

export interface ProvisionedUserPool {
  logicalId: string;
  userPoolId: string;
  /** `<cognito-local endpoint>/<pool id>`: the issuer of this pool's tokens. */
  issuer: string;
  passwordPolicy: PasswordPolicy;
  clients: Array<{ logicalId: string; clientId: string }>;
  groups: string[];
}

/** Properties CloudFormation and CreateUserPool share (CloudFormation calls the name UserPoolName). */
const POOL_PROPERTIES = [
  'Policies',
  'UsernameAttributes',
  'AliasAttributes',
  'AutoVerifiedAttributes',
  'UsernameConfiguration',
  'Schema',
  'MfaConfiguration',
  'AccountRecoverySetting',
  'AdminCreateUserConfig',
] as const;

const CLIENT_PROPERTIES = [
  'ExplicitAuthFlows',
  'GenerateSecret',
  'AccessTokenValidity',
  'IdTokenValidity',
  'RefreshTokenValidity',
  'TokenValidityUnits',
  'PreventUserExistenceErrors',
  'EnableTokenRevocation',
  'AuthSessionValidity',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AllowedOAuthFlowsUserPoolClient',
  'CallbackURLs',
  'LogoutURLs',
  'SupportedIdentityProviders',
  'ReadAttributes',
  'WriteAttributes',
] as const;

/**
 * Creates the template's user pools in cognito-local, then their app clients and groups, and
 * registers the local ids so `!Ref UserPool`, `!GetAtt UserPool.Arn` and `!Ref UserPoolClient`
 * resolve to them.
 */
export async function provisionUserPools(
  template: CfnTemplate,
  resolver: IntrinsicResolver,
  registry: ResourceRegistry,
  client: CognitoIdentityProviderClient,
  cognitoEndpoint: string,
): Promise<ProvisionedUserPool[]> {
  const active = (type: string) => resourcesOfType(template, type).filter(([logicalId]) => resolver.isActive(logicalId));
  const pools = new Map<string, ProvisionedUserPool>();

  for (const [logicalId, resource] of active('AWS::Cognito::UserPool')) {
    const properties = resolver.resolve(resource.Properties ?? {}) as Record<string, unknown>;
    const input: CreateUserPoolCommandInput = {
      PoolName: typeof properties.UserPoolName === 'string' ? properties.UserPoolName : logicalId,
      ...pick<CreateUserPoolCommandInput>(properties, POOL_PROPERTIES),
    };
    const { UserPool } = await client.send(new CreateUserPoolCommand(input));
    const userPoolId = required(UserPool?.Id, `the id of user pool ${logicalId}`);
    const issuer = `${cognitoEndpoint}/${userPoolId}`;
    const values = userPoolValues(userPoolId, resolver.pseudo);
    // Locally the provider is cognito-local; code that checks issuers must see that one.
    registry.register(logicalId, {
      ref: userPoolId,
      attributes: { ...values.attributes, ProviderURL: issuer, ProviderName: issuer.replace(/^https?:\/\//, '') },
    });
    pools.set(logicalId, { logicalId, userPoolId, issuer, passwordPolicy: passwordPolicyOf(properties), clients: [], groups: [] });
  }

  const poolOf = (owner: string, properties: Record<string, unknown>): ProvisionedUserPool => {
    const pool = [...pools.values()].find((candidate) => candidate.userPoolId === properties.UserPoolId);
    if (pool === undefined) throw new TemplateError(`${owner}: UserPoolId must be !Ref to a user pool in this template`);
    return pool;
  };

  for (const [logicalId, resource] of active('AWS::Cognito::UserPoolClient')) {
    const properties = resolver.resolve(resource.Properties ?? {}) as Record<string, unknown>;
    const pool = poolOf(logicalId, properties);
    const input: CreateUserPoolClientCommandInput = {
      UserPoolId: pool.userPoolId,
      ClientName: typeof properties.ClientName === 'string' ? properties.ClientName : logicalId,
      ...pick<CreateUserPoolClientCommandInput>(properties, CLIENT_PROPERTIES),
    };
    const { UserPoolClient } = await client.send(new CreateUserPoolClientCommand(input));
    const clientId = required(UserPoolClient?.ClientId, `the id of app client ${logicalId}`);
    registry.register(logicalId, { ref: clientId, attributes: { ClientId: clientId, Name: input.ClientName } });
    pool.clients.push({ logicalId, clientId });
  }

  await Promise.all(
    active('AWS::Cognito::UserPoolGroup').map(async ([logicalId, resource]) => {
      const properties = resolver.resolve(resource.Properties ?? {}) as Record<string, unknown>;
      const pool = poolOf(logicalId, properties);
      const groupName = typeof properties.GroupName === 'string' ? properties.GroupName : logicalId;
      await client.send(
        new CreateGroupCommand({
          UserPoolId: pool.userPoolId,
          GroupName: groupName,
          Description: properties.Description as string | undefined,
          Precedence: properties.Precedence === undefined ? undefined : Number(properties.Precedence),
        }),
      );
      registry.register(logicalId, { ref: groupName });
      pool.groups.push(groupName);
    }),
  );

  return [...pools.values()];
}

/** The template properties that the API call takes under the same name (values as written). */
function pick<Input>(properties: Record<string, unknown>, names: readonly string[]): Partial<Input> {
  return Object.fromEntries(names.filter((name) => properties[name] !== undefined).map((name) => [name, properties[name]])) as Partial<Input>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`cognito-local did not return ${what}`);
  return value;
}
