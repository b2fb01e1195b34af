import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { type PasswordPolicy, passwordPolicyViolations } from '../cognito/password-policy.ts';
import type { SeedUsers } from './seed-files.ts';

/**
 * Creates the demo users in a user pool: confirmed, email verified, with the shared local
 * password set as permanent (no first-login password change), and in their groups.
 */
export async function seedUsers(
  client: CognitoIdentityProviderClient,
  pool: { userPoolId: string; passwordPolicy: PasswordPolicy; groups: string[] },
  seed: SeedUsers,
): Promise<void> {
  const violations = passwordPolicyViolations(seed.password, pool.passwordPolicy);
  if (violations.length > 0) {
    throw new Error(`The local seed password does not meet the user pool's password policy: it needs ${violations.join(', ')}`);
  }
  await Promise.all(
    seed.users.map(async ({ email, groups }) => {
      const unknown = groups.filter((group) => !pool.groups.includes(group));
      if (unknown.length > 0) throw new Error(`Seed user ${email} names group(s) ${unknown.join(', ')} that the template does not declare`);
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
        }),
      );
      await client.send(
        new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: email, Password: seed.password, Permanent: true }),
      );
      for (const group of groups) {
        await client.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: group }));
      }
    }),
  );
}
