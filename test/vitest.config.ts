import { defineConfig } from 'vitest/config';

// `pnpm --filter @motley/e2e-tests test` runs only the cross-package tests in this folder; the
// repository-wide run uses the root vitest.config.ts.
export default defineConfig({
  test: {
    include: ['*.test.ts', '**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
