import { inject } from 'vitest';

/**
 * What the suites run against: the local cloud (the `integration` project) or a stack (the
 * `stack` project, stack-setup.ts). Against the local cloud, clients sign with its dummy
 * credentials; against a stack, with the default credential chain (the user's profile).
 */
export const againstStack = (): boolean => inject('target') === 'stack';

export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** `credentials` for an SDK client of the target. */
export function targetCredentials(): { credentials?: typeof LOCAL_CREDENTIALS } {
  return againstStack() ? {} : { credentials: LOCAL_CREDENTIALS };
}
