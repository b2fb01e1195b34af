/**
 * The account and region of the local cloud when nothing overrides them (the template's
 * `AWS::AccountId` and `AWS::Region`, every local ARN and queue URL). The account is the one
 * AWS's own local tools use; the region is the one the tests' dummy credentials name.
 */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** Dummy credentials for the local cloud's own SDK clients: nothing checks signatures locally. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
