import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { GitRepo } from '../helpers/git-repo.js';
import { newUserProject, reaWithoutPath } from '../helpers/new-user-project.js';
import { CLI } from '../helpers/temp-repo.js';
import { SERVE_NODE_FLAGS } from '../../src/setup/rea-install.js';

let repo: GitRepo;
beforeEach(() => {
  repo = newUserProject();
});
afterEach(() => repo.cleanup());

/** Every file init may touch, with its bytes and mode. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const files = ['.mcp.json', '.claude/settings.json', '.gitignore', '.rea/policy.yaml', '.rea/registry.yaml', '.rea/init-backup.json'];
  const hooks = readdirSync(join(root, '.git', 'hooks')).filter((f) => !f.endsWith('.sample')).map((f) => `.git/hooks/${f}`);
  for (const file of [...files, ...hooks]) {
    try {
      out[file] = `${(statSync(join(root, file)).mode & 0o777).toString(8)} ${readFileSync(join(root, file), 'utf8')}`;
    } catch {
      out[file] = '(absent)';
    }
  }
  return out;
}

describe('rea init --yes on a new user\'s project, with no rea on PATH', () => {
  it('wires everything, keeps what the user had, and a second run changes no byte', () => {
    const first = reaWithoutPath(repo, 'init', '--yes');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('memory now runs through rea serve --wrap');
    expect(first.stdout).toContain('remote has a URL (http/sse)');
    const settings = JSON.parse(readFileSync(join(repo.root, '.claude/settings.json'), 'utf8'));
    expect(settings.permissions).toEqual({ allow: ['Bash(npm test)'], deny: ['WebSearch'] });
    expect(settings.model).toBe('opus');
    expect(JSON.stringify(settings.hooks.PreToolUse)).toContain('echo user-hook-ran');
    const mcp = JSON.parse(readFileSync(join(repo.root, '.mcp.json'), 'utf8'));
    expect(Object.keys(mcp.mcpServers)).toEqual(['memory', 'everything', 'remote']);
    expect(mcp.mcpServers.everything.env).toEqual({ EVERYTHING_MODE: 'test' });
    expect(mcp.mcpServers.everything.args).toEqual(expect.arrayContaining(['serve', '--wrap', '--name', 'everything', '--env', 'EVERYTHING_MODE', '--']));
    // node is started directly, so the shebang's flags are not read: the entry names them.
    expect(mcp.mcpServers.everything.args.slice(0, SERVE_NODE_FLAGS.length)).toEqual(SERVE_NODE_FLAGS);
    expect(mcp.mcpServers.remote).toEqual({ type: 'http', url: 'https://mcp.example.com/mcp' });

    const before = snapshot(repo.root);
    const second = reaWithoutPath(repo, 'init', '--yes');
    expect(second.status, second.stderr).toBe(0);
    expect(snapshot(repo.root)).toEqual(before);
  });

  it('rea doctor passes, in text and JSON, and fails once rea\'s hooks are taken out of the settings', () => {
    expect(reaWithoutPath(repo, 'init', '--yes').status).toBe(0);
    const text = reaWithoutPath(repo, 'doctor');
    expect(text.status, text.stdout + text.stderr).toBe(0);
    expect(text.stdout).toContain('everything checks out');
    const json = reaWithoutPath(repo, 'doctor', '--json');
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['hook answers: blocked Read', 'hook answers: ls', 'git gate pre-commit', 'audit chain', 'gateway self-test']));

    const file = join(repo.root, '.claude/settings.json');
    const settings = JSON.parse(readFileSync(file, 'utf8'));
    settings.hooks.PreToolUse = settings.hooks.PreToolUse.filter((g: { matcher: string }) => g.matcher !== '*');
    writeFileSync(file, JSON.stringify(settings));
    const broken = reaWithoutPath(repo, 'doctor');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/FAIL hook PreToolUse: rea is not registered/);
    expect(broken.stdout).toContain('fix: run `rea init`');
  });

  it('rea doctor fails when a settings file Claude Code reads turns hooks off', () => {
    expect(reaWithoutPath(repo, 'init', '--yes').status).toBe(0);
    const home = join(repo.root, '.test-home');
    mkdirSync(join(home, '.claude'), { recursive: true });
    repo.env['HOME'] = home;
    expect(reaWithoutPath(repo, 'doctor').status).toBe(0);
    writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ model: 'opus', disableAllHooks: true }));
    const run = reaWithoutPath(repo, 'doctor', '--json');
    expect(run.status).toBe(1);
    const check = (JSON.parse(run.stdout).checks as { name: string; ok: boolean; detail: string; fix?: string }[]).find((c) => c.name === 'hooks enabled');
    expect(check).toMatchObject({ ok: false, detail: expect.stringContaining('disableAllHooks'), fix: expect.stringContaining(join(home, '.claude', 'settings.json')) });
  });

  it('brings the launch line of a server an earlier init wrapped up to date, and leaves a hand-written wrap alone', () => {
    expect(reaWithoutPath(repo, 'init', '--yes').status).toBe(0);
    const mcpFile = join(repo.root, '.mcp.json');
    const mcp = JSON.parse(readFileSync(mcpFile, 'utf8'));
    // As an init before the serve flags wrote it: node started straight on the CLI.
    const everything = mcp.mcpServers.everything;
    everything.args = everything.args.slice(SERVE_NODE_FLAGS.length);
    const handWritten = { command: 'rea', args: ['serve', '--wrap', '--name', 'mine', '--', 'npx', 'server-mine'] };
    mcp.mcpServers.mine = handWritten;
    writeFileSync(mcpFile, JSON.stringify(mcp));
    const doctorCheck = (): { ok: boolean; detail: string } | undefined =>
      (JSON.parse(reaWithoutPath(repo, 'doctor', '--json').stdout).checks as { name: string; ok: boolean; detail: string }[]).find((c) => c.name === 'mcp server everything');
    // Still governed, so doctor passes it, and says how to update it.
    expect(doctorCheck()).toMatchObject({ ok: true, detail: expect.stringContaining('run `rea init` to update its launch line') });
    const run = reaWithoutPath(repo, 'init', '--yes');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('everything runs through rea; its launch line is brought up to date');
    expect(doctorCheck()).toMatchObject({ ok: true, detail: 'runs through rea' });
    const after = JSON.parse(readFileSync(mcpFile, 'utf8'));
    expect(after.mcpServers.everything.args).toEqual([...SERVE_NODE_FLAGS, ...everything.args]);
    expect(after.mcpServers.everything.env).toEqual({ EVERYTHING_MODE: 'test' });
    expect(after.mcpServers.mine).toEqual(handWritten);
    const before = snapshot(repo.root);
    expect(reaWithoutPath(repo, 'init', '--yes').status).toBe(0);
    expect(snapshot(repo.root)).toEqual(before);
  });

  it('rea doctor names an unwrapped server, a missing git gate and a broken audit chain, each with its fix', () => {
    expect(reaWithoutPath(repo, 'init', '--yes').status).toBe(0);
    const mcpFile = join(repo.root, '.mcp.json');
    const mcp = JSON.parse(readFileSync(mcpFile, 'utf8'));
    mcp.mcpServers.sneaky = { command: process.execPath, args: ['server.js'] };
    writeFileSync(mcpFile, JSON.stringify(mcp));
    rmSync(join(repo.root, '.git/hooks/pre-push'));
    writeFileSync(join(repo.root, '.rea/audit.jsonl'), '{"not":"a record"}\n');
    const run = reaWithoutPath(repo, 'doctor', '--json');
    expect(run.status).toBe(1);
    const failed = (JSON.parse(run.stdout).checks as { name: string; ok: boolean; fix?: string }[]).filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual(expect.arrayContaining(['mcp server sneaky', 'git gate pre-push', 'audit chain']));
    for (const check of failed) expect(check.fix, check.name).toBeTruthy();
  });

  it('a call through a wrapped entry keeps its tool names and env, and is recorded in the project\'s audit log', async () => {
    expect(reaWithoutPath(repo, 'init', '--yes').status).toBe(0);
    const entry = JSON.parse(readFileSync(join(repo.root, '.mcp.json'), 'utf8')).mcpServers.everything;
    const client = new Client({ name: 'test', version: '1.0.0' });
    // Claude Code starts the entry with its env added to its own environment, from anywhere.
    await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...(process.env as Record<string, string>), ...entry.env, REA_LOG_LEVEL: 'error' }, cwd: '/', stderr: 'ignore' }));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('echo');
      expect(names).toContain('get-env');
      expect(await client.callTool({ name: 'echo', arguments: { message: 'through rea' } })).toMatchObject({ content: [{ type: 'text', text: 'Echo: through rea' }] });
      const env = await client.callTool({ name: 'get-env', arguments: {} });
      expect(JSON.stringify(env)).toContain('EVERYTHING_MODE');
    } finally {
      await client.close();
    }
    const records = readFileSync(join(repo.root, '.rea/audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toContainEqual(expect.objectContaining({ server_name: 'everything', tool_name: 'echo', status: 'allowed' }));
    expect(reaWithoutPath(repo, 'audit', 'verify').status).toBe(0);
  });

  it('--undo restores every file byte for byte, and the user\'s own pre-commit hook is back in place', () => {
    const before = snapshot(repo.root);
    expect(reaWithoutPath(repo, 'init', '--yes').status).toBe(0);
    const undo = reaWithoutPath(repo, 'init', '--undo');
    expect(undo.status, undo.stderr).toBe(0);
    const after = snapshot(repo.root);
    for (const [file, content] of Object.entries(before)) expect(after[file], file).toBe(content);
  });

  it('leaves a settings file that is not JSON untouched, with a clear error, and changes nothing else', () => {
    writeFileSync(join(repo.root, '.claude/settings.json'), '{ "permissions": ');
    const before = snapshot(repo.root);
    const run = reaWithoutPath(repo, 'init', '--yes');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\.claude\/settings\.json is not valid JSON .*It was not changed/);
    expect(snapshot(repo.root)).toEqual(before);
  });

  it('on a terminal it asks for the profile and for a go-ahead; no is no, and so is the end of input', () => {
    // `script` gives rea init a real pseudo-terminal; the answers are typed ahead on its stdin.
    const onTerminal = (answers: string) =>
      spawnSync('script', ['-qec', `"${process.execPath}" "${CLI}" init`, '/dev/null'], { cwd: repo.root, env: repo.env, input: answers, encoding: 'utf8', timeout: 60_000 });
    const declined = onTerminal('strict\nn\n');
    expect(declined.stdout).toContain('Go ahead? [Y/n]');
    expect(declined.stdout).toContain('Nothing changed.');
    expect(existsSync(join(repo.root, '.rea/policy.yaml'))).toBe(false);
    expect(onTerminal('strict\n').stdout).toContain('Nothing changed.');
    const accepted = onTerminal('strict\ny\n');
    expect(accepted.status, accepted.stdout).toBe(0);
    expect(readFileSync(join(repo.root, '.rea/policy.yaml'), 'utf8')).toMatch(/^profile: strict$/m);
  });

  it('moves the servers into the registry behind one rea entry with --registry', () => {
    const run = reaWithoutPath(repo, 'init', '--yes', '--registry');
    expect(run.status, run.stderr).toBe(0);
    const mcp = JSON.parse(readFileSync(join(repo.root, '.mcp.json'), 'utf8'));
    expect(Object.keys(mcp.mcpServers).sort()).toEqual(['rea', 'remote']);
    expect(mcp.mcpServers.rea.args.slice(0, SERVE_NODE_FLAGS.length)).toEqual(SERVE_NODE_FLAGS);
    const registry = readFileSync(join(repo.root, '.rea/registry.yaml'), 'utf8');
    expect(registry).toContain('name: memory');
    expect(registry).toContain('EVERYTHING_MODE: test');
    expect(reaWithoutPath(repo, 'check').status).toBe(0);
  });
});
