import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { cachedPerRegion, clientOptions } from './cache.js';

/** The CloudWatch client for `region`, created on first use and cached. */
export const cloudWatchClient: (region: string) => CloudWatchClient = cachedPerRegion((region) => new CloudWatchClient(clientOptions(region)));
