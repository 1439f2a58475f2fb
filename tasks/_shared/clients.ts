/**
 * Every SDK client factory of the tasks in one place, for tests and the sandbox binding. A task's
 * handler imports only the modules of `clients/` it uses (never this file), so its bundle
 * carries no other client.
 */
export { DEFAULT_MAX_ATTEMPTS, resetClients, useRequestHandler } from './clients/cache.js';
export { cloudWatchClient } from './clients/cloudwatch.js';
export { ec2Client } from './clients/ec2.js';
export { sfnClient } from './clients/sfn.js';
