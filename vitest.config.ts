import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Unit tests exercise code that logs; keep the run readable. Spawned gateways set their own level.
    env: { REA_LOG_LEVEL: 'error' },
    reporters: ['default'],
  },
});
