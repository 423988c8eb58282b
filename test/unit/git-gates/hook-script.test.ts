import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseHookScript, renderHookScript } from '../../../src/git-gates/hook-script.js';

describe('hook scripts', () => {
  it('quote any path for sh and read back the launcher they name', () => {
    const launcher = { node: `/opt/my "node$HOME\`x\`/bin/node`, cli: "/home/o'brien/rea/dist/cli/index.js" };
    const script = renderHookScript('commit-msg', launcher);
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    expect(parseHookScript(script)).toEqual(launcher);
  });

  it('recognise only rea’s own scripts', () => {
    expect(parseHookScript('#!/usr/bin/env sh\n. "$(dirname "$0")/h"')).toBeUndefined();
    expect(parseHookScript("#!/bin/sh\n# something else\nrea_node='/n'\nrea_cli='/c'\n")).toBeUndefined();
  });
});
