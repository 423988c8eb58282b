import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../../src/config/policy-loader.js';
import { decide } from '../../../src/hooks/decide.js';
import { parseToolEvent } from '../../../src/hooks/hook-event.js';

// The policy's own rules reach the native tools: `tools` rules and server lists by the name
// `claude-code__<Tool>`, autonomy levels, and the option for MCP servers that bypass rea.
let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'rea-decide-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const run = (policyYaml: string, tool: string, input: Record<string, unknown>) =>
  decide(parseToolEvent(JSON.stringify({ tool_name: tool, tool_input: input, cwd: root }), 'PreToolUse'), {
    root,
    policy: parsePolicyText('policy.yaml', `version: "1"\n${policyYaml}`),
    cacheDir: undefined,
    home: join(root, 'home'),
  });

describe('policy rules over native tools', () => {
  it('a tools deny rule and a server deny list refuse a native tool by name', async () => {
    expect(await run('tools:\n  - match: claude-code__WebFetch\n    deny: true\n', 'WebFetch', { url: 'https://example.com' })).toMatchObject({ kind: 'deny', code: 'policy' });
    expect(await run('servers:\n  claude-code:\n    deny: [Write]\n', 'Write', { file_path: 'a.txt', content: 'x' })).toMatchObject({ kind: 'deny', code: 'policy' });
    expect((await run('servers:\n  claude-code:\n    deny: [Write]\n', 'Read', { file_path: 'a.txt' })).kind).toBe('allow');
  });

  it('a confirm rule turns a native call into Claude Code\'s prompt', async () => {
    expect(await run('tools:\n  - match: claude-code__Bash\n    confirm: true\n', 'Bash', { command: 'ls' })).toMatchObject({ kind: 'ask' });
  });

  it('autonomy L0 allows reads only', async () => {
    expect((await run('autonomy_level: L0\n', 'Bash', { command: 'git status' })).kind).toBe('allow');
    expect(await run('autonomy_level: L0\n', 'Bash', { command: 'npm install' })).toMatchObject({ kind: 'deny', code: 'tier' });
    expect(await run('autonomy_level: L0\n', 'Write', { file_path: 'a.txt', content: 'x' })).toMatchObject({ kind: 'deny', code: 'tier' });
  });

  it('L3 allows destructive commands the rules allow, but never a blocked path or governance tampering', async () => {
    const l3 = 'autonomy_level: L3\nmax_autonomy_level: L3\nblocked_paths: [.env]\n';
    expect((await run(l3, 'Bash', { command: 'git push --force' })).kind).toBe('allow');
    expect(await run(l3, 'Bash', { command: 'cat .env' })).toMatchObject({ kind: 'deny', code: 'blocked_path' });
    expect(await run(l3, 'Bash', { command: 'rm .rea/HALT' })).toMatchObject({ kind: 'deny', code: 'governance' });
  });
});

describe('MCP tools', () => {
  beforeEach(() => {
    writeFileSync(
      join(root, '.mcp.json'),
      JSON.stringify({ mcpServers: { governed: { command: '/usr/bin/node', args: ['/opt/rea/dist/cli/index.js', 'serve', '--wrap', '--', 'x'] }, direct: { command: 'npx', args: ['some-server'] } } }),
    );
  });

  it('pass when the server runs through rea; others pass unless native.deny_ungoverned_mcp', async () => {
    expect((await run('', 'mcp__governed__write', {})).kind).toBe('allow');
    expect((await run('', 'mcp__direct__write', {})).kind).toBe('allow');
    expect(await run('native:\n  deny_ungoverned_mcp: true\n', 'mcp__direct__write', {})).toMatchObject({ kind: 'deny', code: 'ungoverned_mcp' });
    expect((await run('native:\n  deny_ungoverned_mcp: true\n', 'mcp__governed__write', {})).kind).toBe('allow');
  });
});
