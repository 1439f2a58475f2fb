import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: {
      // The AWS SDK warns once per process under Node 20 that its releases after January 2027 need
      // Node 22 (@aws-sdk/core emitWarningIfUnsupportedVersion); every test worker would print it.
      // bin/lifeboat.js sets the same variable for the CLI's own process.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
