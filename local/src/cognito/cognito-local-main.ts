import { installSrpAuth } from './srp-auth.ts';

/**
 * Entry point of the cognito-local child process. cognito-local keeps its data under
 * `.cognito/` in the current directory, so each local cloud runs it in its own directory;
 * the IPC channel to the parent closes when the parent ends, and this process follows.
 * USER_SRP_AUTH is added to cognito-local's targets before its server starts (srp-auth.ts).
 */
process.on('disconnect', () => process.exit(0));
installSrpAuth();
await import('cognito-local/lib/bin/start.js');
