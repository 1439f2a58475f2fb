/**
 * Who the CLI is: STS GetCallerIdentity with the same credentials, region and (with `--local`)
 * endpoint as the Step Functions client, so the principal that answers an approval is the one
 * that signs the SendTaskSuccess.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Principal } from '../schemas/tasks/request-approval.js';
import { queryApiCall, xmlText } from '../tasks/_shared/query-api.js';
import { OperationError } from './errors.js';

/** Reads the caller's identity; with `--local`, from the sandbox the client points at. */
export type CallerIdentity = (client: SFNClient, site: { command: string; isLocal: boolean }) => Promise<Principal>;

/** {@link CallerIdentity} over the STS Query API (the project has no STS SDK client). */
export const stsCallerIdentity: CallerIdentity = async (client, site) => {
  const region = await client.config.region();
  let endpoint: string | undefined;
  if (site.isLocal) {
    const e = await client.config.endpoint?.();
    if (e !== undefined) endpoint = `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path ?? ''}`;
  }
  let xml: string;
  try {
    xml = await queryApiCall({
      service: 'sts',
      region,
      version: '2011-06-15',
      params: { Action: 'GetCallerIdentity' },
      credentials: client.config.credentials,
      ...(endpoint === undefined ? {} : { endpoint }),
      timeoutMs: 10_000,
    });
  } catch (error) {
    throw new OperationError(`${site.command}: STS GetCallerIdentity in ${region} failed: ${(error as Error).message}`, {
      hint: 'the approver is the principal of your credentials: check them (aws sts get-caller-identity, --profile PROFILE)',
      cause: error,
    });
  }
  const arn = xmlText(xml, 'Arn');
  if (arn === undefined) throw new OperationError(`${site.command}: STS GetCallerIdentity in ${region}: expected an Arn in the answer, found ${xml.slice(0, 200)}`);
  const account = xmlText(xml, 'Account');
  const userId = xmlText(xml, 'UserId');
  return { arn, ...(account === undefined ? {} : { account }), ...(userId === undefined ? {} : { userId }) };
};
