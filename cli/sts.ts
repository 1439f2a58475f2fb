/**
 * Who the CLI is: STS GetCallerIdentity with the same credentials, region and (with `--local`)
 * endpoint as the Step Functions client, so the principal that answers an approval is the one
 * that signs the SendTaskSuccess.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Principal } from '../schemas/tasks/request-approval.js';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { OperationError } from './errors.js';

/** Reads the caller's identity; with `--local`, from the sandbox the client points at. */
export type CallerIdentity = (client: SFNClient, site: { command: string; isLocal: boolean }) => Promise<Principal>;

/** {@link CallerIdentity} with the SDK's STS client, built from the Step Functions client's settings. */
export const stsCallerIdentity: CallerIdentity = async (client, site) => {
  const region = await client.config.region();
  let endpoint: string | undefined;
  if (site.isLocal) {
    const e = await client.config.endpoint?.();
    if (e !== undefined) endpoint = `${e.protocol}//${e.hostname}${e.port ? `:${e.port}` : ''}${e.path ?? ''}`;
  }
  const sts = new STSClient({ region, credentials: client.config.credentials, maxAttempts: 3, ...(endpoint === undefined ? {} : { endpoint }) });
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    if (out.Arn === undefined) throw new OperationError(`${site.command}: STS GetCallerIdentity in ${region}: expected an Arn in the answer, found none`);
    return { arn: out.Arn, ...(out.Account === undefined ? {} : { account: out.Account }), ...(out.UserId === undefined ? {} : { userId: out.UserId }) };
  } catch (error) {
    if (error instanceof OperationError) throw error;
    throw new OperationError(`${site.command}: STS GetCallerIdentity in ${region} failed: ${(error as Error).name}: ${(error as Error).message}`, {
      hint: 'the approver is the principal of your credentials: check them (aws sts get-caller-identity, --profile PROFILE)',
      cause: error,
    });
  } finally {
    sts.destroy();
  }
};
