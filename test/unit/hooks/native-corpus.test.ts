import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../../src/config/policy-loader.js';
import { decide, type Decision } from '../../../src/hooks/decide.js';
import { parseToolEvent } from '../../../src/hooks/hook-event.js';
import { DANGEROUS, DANGEROUS_FILE_CALLS, ORDINARY_FILE_CALLS, ORDINARY_SHELL } from '../../fixtures/hooks/native-corpus.mjs';
import { REPO_ROOT } from '../../helpers/temp-repo.js';

// The hook's decision for every call of the development corpus, in a project laid out like a real
// one (the minimal profile at L1, secrets in .env and secrets/, a fake HOME with ~/.ssh).
let root: string;
let home: string;
const policy = parsePolicyText('minimal.yaml', readFileSync(join(REPO_ROOT, 'profiles', 'minimal.yaml'), 'utf8'));

beforeAll(() => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'rea-native-')));
  root = join(base, 'project');
  home = join(base, 'home');
  for (const dir of ['.rea', '.claude', '.husky', '.git/hooks', 'src', 'secrets', 'dist']) mkdirSync(join(root, dir), { recursive: true });
  mkdirSync(join(home, '.ssh'), { recursive: true });
  const files: Record<string, string> = {
    '.env': 'API_KEY=s3cr3t\n',
    '.env.local': 'X=1\n',
    '.env.example': 'API_KEY=<your-key>\n',
    'secrets/api.key': 'k\n',
    'src/index.ts': 'export {};\n',
    'README.md': '# x\n',
    '.rea/policy.yaml': 'version: "1"\n',
    '.rea/HALT': '',
    '.claude/settings.json': '{}\n',
    '.mcp.json': '{}\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  rmSync(join(root, '.rea', 'HALT'));
  writeFileSync(join(home, '.ssh', 'id_rsa'), 'key\n');
});

afterAll(() => rmSync(join(root, '..'), { recursive: true, force: true }));

function decideFor(tool: string, input: Record<string, unknown>): Promise<Decision> {
  const event = parseToolEvent(JSON.stringify({ hook_event_name: 'PreToolUse', tool_name: tool, tool_input: input, cwd: root, session_id: 's' }), 'PreToolUse');
  return decide(event, { root, policy, cacheDir: undefined, home });
}

describe('dangerous shell commands are denied (or asked)', () => {
  for (const [family, commands] of Object.entries(DANGEROUS)) {
    it.each(commands)(`${family}: %s`, async (command) => {
      const decision = await decideFor('Bash', { command });
      expect(decision.kind, JSON.stringify(decision)).not.toBe('allow');
    });
  }
});

describe('ordinary shell commands pass', () => {
  it.each(ORDINARY_SHELL)('%s', async (command) => {
    const decision = await decideFor('Bash', { command });
    expect(decision.kind, JSON.stringify(decision)).toBe('allow');
  });
});

describe('file tools', () => {
  it.each(ORDINARY_FILE_CALLS)('%s %j passes', async (tool, input) => {
    expect((await decideFor(tool, input)).kind).toBe('allow');
  });
  it.each(DANGEROUS_FILE_CALLS)('%s %j is denied', async (tool, input) => {
    const decision = await decideFor(tool, input);
    expect(decision.kind, JSON.stringify(decision)).toBe('deny');
  });
});

describe('a listing filtered by grep before xargs', () => {
  // The agent writes the pattern and can name files: a backtracking pattern against a name built for
  // it would stall the hook until Claude Code's hook timeout, which lets the call through.
  it('does not run a pattern that may backtrack catastrophically, and judges the unfiltered listing', async () => {
    writeFileSync(join(root, `${'a'.repeat(40)}!`), '');
    try {
      const decision = await decideFor('Bash', { command: "ls -a | grep -E '(a+)+$' | xargs cat" });
      expect(decision.kind, JSON.stringify(decision)).toBe('deny');
    } finally {
      rmSync(join(root, `${'a'.repeat(40)}!`));
    }
  }, 20_000);

  it('still applies an ordinary pattern', async () => {
    expect((await decideFor('Bash', { command: "ls | grep -F README | xargs cat" })).kind).toBe('allow');
  });
});

describe('a line that expands to more names than rea enumerates', () => {
  // Expansions used to be cut at 64 names, and a blocked name past the cut passed unseen.
  const many = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);
  it.each([
    ['a brace list with the blocked name last', `cat {${many(5000).join(',')},.env}`],
    ['a loop list with the blocked name last', `for f in ${many(5000).join(' ')} .env; do cat "$f"; done`],
    ['a huge sequence', 'echo {1..100000000}'],
    ['braces that multiply (2^30 names)', `cat ${'{a,b}'.repeat(30)}`],
  ])('%s is refused, quickly, with the reason', async (_, command) => {
    const decision = await decideFor('Bash', { command });
    expect(decision.kind).toBe('deny');
    expect(JSON.stringify(decision)).toMatch(/more than 4096 names/);
  });

  it('a blocked name after more than 64 others is still found', async () => {
    const decision = await decideFor('Bash', { command: `cat {${many(100).join(',')},.env}` });
    expect(decision.kind).toBe('deny');
    expect(JSON.stringify(decision)).toMatch(/\.env/);
  });

  it('a listing fed to xargs from a directory with more entries than rea reads is refused', async () => {
    const crowded = join(root, 'crowded');
    mkdirSync(crowded);
    for (const name of many(4100)) writeFileSync(join(crowded, name), '');
    try {
      const decision = await decideFor('Bash', { command: 'ls -a crowded | xargs cat' });
      expect(decision.kind).toBe('deny');
      expect(JSON.stringify(decision)).toMatch(/listing crowded gives more than 4096 names/);
      expect((await decideFor('Bash', { command: 'cat crowded/f1 crowded/f2' })).kind).toBe('allow');
    } finally {
      rmSync(crowded, { recursive: true });
    }
  });

  it('ordinary expansions still pass', async () => {
    for (const command of ['for i in {1..100}; do echo "$i"; done', 'cat src/{index,main}.ts', 'ls src/*.ts']) {
      expect((await decideFor('Bash', { command })).kind, command).toBe('allow');
    }
  });
});

describe('names a command reads from its input or from a file', () => {
  it.each([
    'xargs cat <<< .env',
    'xargs -I{} cat {} <<< .env',
    'xargs cat <<EOF\n.env\nEOF',
    'xargs cat < names.txt',
    'xargs -a names.txt cat',
    'xargs --arg-file=names.txt cat',
    'cat names.txt | xargs cat',
    'cat $(cat names.txt)',
    'for f in $(cat names.txt); do cat "$f"; done',
    'while read -r f; do cat "$f"; done < names.txt',
  ])('%s is denied when the names include a blocked file', async (command) => {
    writeFileSync(join(root, 'names.txt'), 'README.md\n.env\n');
    try {
      const decision = await decideFor('Bash', { command });
      expect(decision.kind, JSON.stringify(decision)).toBe('deny');
      expect(JSON.stringify(decision)).toMatch(/\.env/);
    } finally {
      rmSync(join(root, 'names.txt'));
    }
  });

  it('passes when the names file names only ordinary files', async () => {
    writeFileSync(join(root, 'names.txt'), 'README.md\nsrc/index.ts\n');
    try {
      for (const command of ['xargs cat < names.txt', 'cat names.txt | xargs wc -l', 'while read -r f; do cat "$f"; done < names.txt']) {
        expect((await decideFor('Bash', { command })).kind, command).toBe('allow');
      }
    } finally {
      rmSync(join(root, 'names.txt'));
    }
  });
});

describe('copying a directory by its contents', () => {
  it('judges each entry it would write', async () => {
    const source = join(root, '..', 'incoming');
    mkdirSync(join(source, '.claude'), { recursive: true });
    mkdirSync(join(source, 'hooks'), { recursive: true });
    writeFileSync(join(source, 'notes.md'), '');
    try {
      for (const command of [`cp -a ${source}/. .git/`, `rsync -a ${source}/ .git`, `mv ${source}/.claude .`]) {
        const decision = await decideFor('Bash', { command });
        expect(decision.kind, command).toBe('deny');
        expect(JSON.stringify(decision), command).toMatch(/governance file/);
      }
      expect((await decideFor('Bash', { command: `cp -a ${source}/. src/` })).kind).toBe('allow');
    } finally {
      rmSync(source, { recursive: true });
    }
  });
});
