import { SFNClient } from '@aws-sdk/client-sfn';
import { cachedPerRegion, clientOptions } from './cache.js';

/** The Step Functions client for `region` (the collector and the backup-overlap guard read executions), created on first use and cached. */
export const sfnClient: (region: string) => SFNClient = cachedPerRegion((region) => new SFNClient(clientOptions(region)));
