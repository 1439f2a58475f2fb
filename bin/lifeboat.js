#!/usr/bin/env node
// Entry point of the `lifeboat` command: loads the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every run under Node 20 that SDK releases after January 2027 will need
// Node 22. Lifeboat pins its SDK versions and supports Node >= 20.19 locally (its Lambdas run on
// the newest runtime), so the warning is noise in an incident; set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
