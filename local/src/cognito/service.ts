import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { EmulatedService, RunningService } from '../cloud/emulated-service.ts';
import { LOCAL_CREDENTIALS } from '../core/aws-account.ts';
import { readSeedUsers, type SeedUsers } from '../seed/seed-files.ts';
import { seedUsers } from '../seed/seed-users.ts';
import { startCognitoLocal } from './cognito-local.ts';
import { type ProvisionedUserPool, provisionUserPools } from './from-template.ts';

/** cognito-local with every user pool, app client and group of the template, and the demo users. */
export interface RunningCognito extends RunningService {
  endpoint: string;
  userPools: ProvisionedUserPool[];
  /** The first user pool and its first app client: the ones the API's authorizer trusts. */
  primaryPool: ProvisionedUserPool;
  clientId: string;
  /** local/seed/users.json. */
  seedUsers: SeedUsers;
  /** Settles once the demo users exist (at once with `seed: false`). */
  usersSeeded: Promise<void>;
}

export const cognitoService: EmulatedService<'cognito', RunningCognito> = {
  name: 'cognito',
  port: { option: 'cognito', purpose: 'cognito-local', envVariable: 'LOCAL_COGNITO_PORT' },
  async start(context) {
    const started = performance.now();
    const local = await startCognitoLocal(context.options.ports.cognito, context.options.cognitoDataDirectory);
    const client = new CognitoIdentityProviderClient({ region: context.pseudo.region, credentials: LOCAL_CREDENTIALS, endpoint: local.endpoint });
    const stop = async () => {
      client.destroy();
      await local.stop();
    };
    try {
      context.log.info(`cognito-local ready in ${Math.round(performance.now() - started)} ms`);
      const [userPools, seedUsersFile] = await Promise.all([
        provisionUserPools(context.template.template, context.resolver, context.registry, client, local.endpoint),
        readSeedUsers(),
      ]);
      const primaryPool = userPools[0];
      const clientId = primaryPool?.clients[0]?.clientId;
      if (primaryPool === undefined || clientId === undefined) {
        throw new Error('The template declares no AWS::Cognito::UserPool with an AWS::Cognito::UserPoolClient');
      }
      const usersSeeded = context.options.seed === false ? Promise.resolve() : seedUsers(client, primaryPool, seedUsersFile);
      // Awaited by start-up before the catalog is seeded; a failure surfaces there.
      usersSeeded.catch(() => {});
      return {
        endpoint: local.endpoint,
        userPools,
        primaryPool,
        clientId,
        seedUsers: seedUsersFile,
        usersSeeded,
        functionEndpoints: { COGNITO_IDENTITY_PROVIDER: local.endpoint },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};
