import { InvalidInputError } from './errors.js';

/** An inline run resolved to more instances than it can carry: say what happened and how to fix it. */
export function tooManyForInline(planName: string, found: number, max: number): InvalidInputError {
  return new InvalidInputError(
    `plan '${planName}' resolves to ${found} instances, more than the ${max} an inline run carries (its history and payloads grow with every instance); ` +
      `set "scale": {"mode": "distributed"} in the plan and redeploy, so that batches run as child executions of a Distributed Map`,
  );
}
