import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerTofuCommands } from '../../../src/cli/commands/tofu.js';
import { TofuGate } from '../../../src/registry/tofu-gate.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rea-tofu-cli-'));
  process.exitCode = undefined;
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function rea(...args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  const program = new Command().exitOverride();
  registerTofuCommands(program, () => root);
  try {
    await program.parseAsync(['node', 'rea', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return { out, err, code: process.exitCode as number | undefined };
}

const tool = (description: string) => ({ name: 'add', description, inputSchema: { type: 'object' } });

describe('rea tofu', () => {
  it('lists, diffs and accepts a withheld tool, recording the decision with its reason', async () => {
    const gate = new TofuGate(join(root, '.rea', 'fingerprints.json'));
    await gate.reviewCatalog('calc', { tools: [tool('Adds.')] });
    await gate.reviewCatalog('calc', { tools: [tool('Adds.\u001b[8m hidden')] });

    const list = await rea('tofu', 'list');
    expect(list.out).toContain('PENDING tool add (changed');
    const diff = await rea('tofu', 'diff', 'calc');
    expect(diff.out).toBe('tool add: changed since it was pinned\n  description:\n  - "Adds."\n  + "Adds.\\u001b[8m hidden"\n');

    const accept = await rea('tofu', 'accept', 'calc', '--tool', 'add', '--reason', 'checked with vendor');
    expect(accept).toMatchObject({ code: 0, err: '' });
    expect(accept.out).toMatch(/^Accepted tool add of "calc" \(changed, [0-9a-f]{12}\)\.\n$/);
    const review = await gate.reviewCatalog('calc', { tools: [tool('Adds.\u001b[8m hidden')] });
    expect(review.withheld).toEqual([]);
    const audit = (await readFile(join(root, '.rea', 'audit.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ tool_name: 'rea.tofu.accepted', metadata: { server: 'calc', reason: 'checked with vendor' } });
  });

  it('refuses accept without --reason', async () => {
    await expect(rea('tofu', 'accept', 'calc')).rejects.toThrow("error: required option '--reason <text>' not specified");
  });

  it('says when nothing is pending', async () => {
    const r = await rea('tofu', 'accept', 'calc', '--reason', 'x');
    expect(r).toEqual({ out: '', err: 'rea tofu accept: nothing pending for server "calc"; run `rea tofu list` to see pending changes\n', code: 2 });
  });
});
