/**
 * zod, loaded the first time a document is validated (a fault configuration, seeded instances,
 * an applications configuration) rather than when EC2 is created: a sandbox that only serves
 * other services' requests (reading a Step Functions history, say) never loads its ~100 modules.
 *
 * Validation is synchronous, so the module is taken with `require`: its ES module build (Node.js
 * ≥ 20.19 requires ES modules), the same instance an `import 'zod'` elsewhere in the process
 * gets; its CommonJS build only where `require` of an ES module is unavailable.
 */
import { createRequire } from 'node:module';
import type * as ZodModule from 'zod';

type Zod = typeof ZodModule;

let loaded: Zod | undefined;

/** The zod module (loaded on the first call). */
export function zod(): Zod {
  loaded ??= load();
  return loaded;
}

function load(): Zod {
  const require = createRequire(import.meta.url);
  // zod ships its ES module entry beside the CommonJS one (package.json "exports": index.js / index.cjs).
  const commonJs = require.resolve('zod');
  try {
    return require(commonJs.replace(/\.cjs$/, '.js')) as Zod;
  } catch {
    return require(commonJs) as Zod;
  }
}
