#!/usr/bin/env node
// Entry point of the `lifeboat` command. Runs the prebuilt JavaScript CLI (dist/prebuilt/, made by
// `npm install`/`npm ci` through bin/build-cli.js) while no source is newer than it, otherwise the
// TypeScript sources through tsx, so an edit is never shadowed by a stale build (docs/decisions/0014).
// LIFEBOAT_NO_PREBUILT=1 always runs the sources.
import { isHelpOnly, prebuiltEntry } from './prebuilt.js';

// The AWS SDK warns on every run under Node 20 that SDK releases after January 2027 will need
// Node 22. Lifeboat pins its SDK versions and supports Node >= 20.19 locally (its Lambdas run on
// the newest runtime), so the warning is noise in an incident; set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const argv = process.argv.slice(2);
// The help and the version need only cli/main.ts's own imports fresh, not every source (bin/prebuilt.js).
const prebuilt = process.env.LIFEBOAT_NO_PREBUILT === '1' ? undefined : prebuiltEntry(undefined, { helpOnly: isHelpOnly(argv) });
let main;
if (prebuilt) {
  ({ main } = await import(prebuilt));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(argv);
