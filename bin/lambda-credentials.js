// The credential chain of a bundled task Lambda: what bin/bundle-task.js puts in the place of
// `@aws-sdk/credential-provider-node` (the SDK clients' default chain) in every task bundle.
// docs/decisions/0017-lean-task-bundles.md, "Update".
//
// Lambda gives a function its role's credentials in the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN); a container-credentials endpoint
// (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI) is read too. The rest of the default
// chain (SSO, shared config files, credential processes, web identity, console login, instance
// metadata) cannot apply in Lambda, yet it brought four nested SDK clients into every bundle:
// about a quarter of each bundle's size. Both sources below are the SDK's own providers.
//
// This file is bundled only: its imports are resolved from the replaced package's directory.
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { CredentialsProviderError } from '@smithy/core/config';

/** The environment variables Lambda sets with the function role's credentials. */
const ENV_KEY = 'AWS_ACCESS_KEY_ID';
const ENV_SECRET = 'AWS_SECRET_ACCESS_KEY';
/** The container-credentials endpoint variables the SDK's HTTP provider reads. */
const ENV_FULL_URI = 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
const ENV_RELATIVE_URI = 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';

/** Credentials whose expiration is set and closer than five minutes are fetched again, as the SDK's chain does. */
export const credentialsTreatedAsExpired = (credentials) => credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;

/** Whether credentials will need fetching again (they carry an expiration). */
export const credentialsWillNeedRefresh = (credentials) => credentials?.expiration !== undefined;

/**
 * The clients' `credentialDefaultProvider`: the environment's credentials, otherwise the container
 * endpoint's, fetched once and kept until five minutes before they expire.
 *
 * @param {{ logger?: { debug(message: string): void } }} [init] what the client passes (its logger, among others)
 */
export const defaultProvider = (init = {}) => {
  let credentials;
  let pending;
  const fetchOnce = async (properties) => {
    if (process.env[ENV_KEY] && process.env[ENV_SECRET]) return fromEnv(init)();
    if (process.env[ENV_FULL_URI] || process.env[ENV_RELATIVE_URI]) return fromHttp(init)(properties);
    throw new CredentialsProviderError(
      `task bundle › credentials: expected ${ENV_KEY} and ${ENV_SECRET} (Lambda sets them from the function's role) or ${ENV_FULL_URI}/${ENV_RELATIVE_URI}, found none; a bundled task reads credentials only as Lambda provides them (docs/decisions/0017)`,
      { tryNextLink: false, logger: init.logger },
    );
  };
  return async (properties) => {
    if (!properties?.forceRefresh && credentials !== undefined && !credentialsTreatedAsExpired(credentials)) return credentials;
    pending ??= fetchOnce(properties)
      .then((fetched) => (credentials = fetched))
      .finally(() => (pending = undefined));
    return pending;
  };
};
