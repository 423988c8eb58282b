import { transform } from 'esbuild';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * TypeScript compiled as Vite does, but keeping function names. Stage names are behaviour (the
 * pipeline order test, compose's error messages), and Vite's own esbuild pass forces `keepNames`
 * off, renaming an inner `function tier` that shadows its factory to `tier2`; tsc's build does not.
 */
function typescriptKeepingNames(): Plugin {
  return {
    name: 'rea:typescript-keep-names',
    async transform(code, id) {
      if (!/\.(m?ts)$/.test(id.split('?')[0] ?? id)) return undefined;
      const out = await transform(code, { loader: 'ts', format: 'esm', target: 'es2022', keepNames: true, sourcemap: true, sourcefile: id });
      return { code: out.code, map: out.map };
    },
  };
}

export default defineConfig({
  esbuild: false,
  plugins: [typescriptKeepingNames()],
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
