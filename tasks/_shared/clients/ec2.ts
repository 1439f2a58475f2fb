import { EC2Client } from '@aws-sdk/client-ec2';
import { cachedPerRegion, clientOptions } from './cache.js';

/**
 * The EC2 client for `region`, created on first use and cached for the Lambda's lifetime.
 *
 * Endpoint and credentials come from the SDK's standard configuration (for the sandbox,
 * `AWS_ENDPOINT_URL` and dummy keys in the environment); nothing here knows about the sandbox.
 */
export const ec2Client: (region: string) => EC2Client = cachedPerRegion((region) => new EC2Client(clientOptions(region)));
