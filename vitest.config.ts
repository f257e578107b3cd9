// Tests run on the TypeScript sources through the `@twinembed/source` export condition,
// so `pnpm test` never depends on a stale build.
import { defineConfig } from 'vitest/config';

const shared = {
  resolve: { conditions: ['@twinembed/source', 'module', 'browser', 'development|production'] },
  ssr: { resolve: { conditions: ['@twinembed/source', 'module', 'node', 'development|production'] } },
};

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { ...shared, extends: true, test: { name: 'core', include: ['packages/core/src/**/*.test.ts'] } },
      { ...shared, extends: true, test: { name: 'node', include: ['packages/node/src/**/*.test.ts'] } },
      { ...shared, extends: true, test: { name: 'web', include: ['packages/web/src/**/*.test.ts'] } },
      { ...shared, extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: ['test/pack.test.ts', 'test/browser/**'] } },
      { ...shared, extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], globalSetup: ['test/browser/global-setup.ts'], fileParallelism: false } },
      { ...shared, extends: true, test: { name: 'pack', include: ['test/pack.test.ts'], testTimeout: 600_000 } },
    ],
  },
});
