import { createRequire } from 'node:module';
import type Picomatch from 'picomatch';

/**
 * picomatch, loaded on first use: it costs a few milliseconds to load, which a Claude Code hook
 * (a process per tool call) that matches no glob should not pay.
 */
const load = createRequire(import.meta.url);
let loaded: typeof Picomatch | undefined;

export function picomatch(): typeof Picomatch {
  loaded ??= load('picomatch') as typeof Picomatch;
  return loaded;
}
