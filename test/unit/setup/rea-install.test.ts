import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVE_NODE_FLAGS, hasServeFlags, serveEntry, type ReaInstall } from '../../../src/setup/rea-install.js';

const install: ReaInstall = { node: '/usr/bin/node', packageRoot: '/opt/rea', cli: '/opt/rea/dist/cli/index.js', projectLocal: false };

describe('serveEntry', () => {
  it('starts node with the serve flags before the CLI, then the serve arguments', () => {
    expect(serveEntry(install, ['--dir', '/p', 'serve'])).toEqual({
      command: '/usr/bin/node',
      args: [...SERVE_NODE_FLAGS, '/opt/rea/dist/cli/index.js', '--dir', '/p', 'serve'],
    });
  });

  it('names the same flags as the CLI shebang, which `rea serve` on PATH runs with', () => {
    const shebang = readFileSync(new URL('../../../src/cli/index.ts', import.meta.url), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVE_NODE_FLAGS.join(' ')}`);
  });
});

describe('hasServeFlags', () => {
  it('finds every flag before the script, in any order, and none after it', () => {
    expect(hasServeFlags(serveEntry(install, ['serve']).args)).toBe(true);
    expect(hasServeFlags([...[...SERVE_NODE_FLAGS].reverse(), '/opt/rea/dist/cli/index.js', 'serve'])).toBe(true);
    expect(hasServeFlags(['/opt/rea/dist/cli/index.js', 'serve'])).toBe(false);
    expect(hasServeFlags([SERVE_NODE_FLAGS[0]!, '/opt/rea/dist/cli/index.js', ...SERVE_NODE_FLAGS.slice(1), 'serve'])).toBe(false);
  });
});
