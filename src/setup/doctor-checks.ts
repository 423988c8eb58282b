import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chainFiles, verifyChain } from '../audit/index.js';
import { loadProjectPolicy } from '../config/policy-loader.js';
import { reaPaths } from '../config/project-paths.js';
import { loadRegistry } from '../config/registry-loader.js';
import { errorMessage } from '../errors.js';
import { inspectGitGates } from '../git-gates/inspect.js';
import { HOOK_EVENTS, registeredReaHooks } from './claude-settings.js';
import { initWritten, unwrappedEntry, type McpEntry } from './mcp-json.js';
import { hasServeFlags } from './rea-install.js';
import { readJsonObject } from './project-files.js';

/** One line of `rea doctor`: what was checked, whether it holds, and how to fix it when not. */
export interface DoctorCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix?: string;
}

const INIT_FIX = 'run `rea init` in the project';

export function checkConfig(root: string): DoctorCheck[] {
  const paths = reaPaths(root);
  const out: DoctorCheck[] = [];
  try {
    const { origin } = loadProjectPolicy(root);
    out.push({ name: 'policy', ok: true, detail: origin === 'file' ? '.rea/policy.yaml is valid' : 'no .rea/policy.yaml: the defaults apply' });
  } catch (error) {
    out.push({ name: 'policy', ok: false, detail: errorMessage(error), fix: 'fix .rea/policy.yaml (`rea check` shows the error in full)' });
  }
  if (!existsSync(paths.registry)) out.push({ name: 'registry', ok: true, detail: 'no .rea/registry.yaml (no servers of rea serve multi mode)' });
  else {
    try {
      const registry = loadRegistry(paths.registry);
      out.push({ name: 'registry', ok: true, detail: `.rea/registry.yaml is valid (${registry.servers.length} servers)` });
    } catch (error) {
      out.push({ name: 'registry', ok: false, detail: errorMessage(error), fix: 'fix .rea/registry.yaml' });
    }
  }
  return out;
}

/** Every `.mcp.json` stdio server runs through rea, and every command rea would start resolves. */
export function checkMcpServers(root: string): DoctorCheck[] {
  let mcp: Record<string, unknown> | undefined;
  try {
    mcp = readJsonObject(join(root, '.mcp.json'), '.mcp.json');
  } catch (error) {
    return [{ name: 'mcp servers', ok: false, detail: errorMessage(error), fix: 'fix .mcp.json' }];
  }
  const out: DoctorCheck[] = [];
  const servers = (mcp?.['mcpServers'] as Record<string, McpEntry> | undefined) ?? {};
  const commands: { name: string; command: string; cwd: string }[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    if (typeof entry.command !== 'string') {
      out.push({ name: `mcp server ${name}`, ok: true, detail: 'has a URL (http/sse): not a process rea can govern' });
      continue;
    }
    const inner = unwrappedEntry(entry);
    const throughRea = inner !== undefined || (entry.args ?? []).includes('serve');
    // Launched by an init before the serve flags: governed all the same, only heavier (src/cli/index.ts).
    const flagsMissing = throughRea && initWritten(entry) && !hasServeFlags(entry.args ?? []);
    out.push(throughRea
      ? { name: `mcp server ${name}`, ok: true, detail: flagsMissing ? "runs through rea, without rea's node flags (~30 MB more under load): run `rea init` to update its launch line" : 'runs through rea' }
      : { name: `mcp server ${name}`, ok: false, detail: 'runs directly, not through rea: its calls are neither governed nor recorded', fix: INIT_FIX });
    commands.push({ name, command: (inner ?? entry).command!, cwd: root });
  }
  try {
    if (existsSync(reaPaths(root).registry)) for (const s of loadRegistry(reaPaths(root).registry).servers) if (s.enabled !== false) commands.push({ name: s.name, command: s.command, cwd: root });
  } catch {
    // Reported by checkConfig.
  }
  for (const { name, command, cwd } of commands) {
    const found = resolveCommand(command, cwd);
    out.push(found
      ? { name: `command of ${name}`, ok: true, detail: `${command} → ${found}` }
      : { name: `command of ${name}`, ok: false, detail: `${command} is not found on PATH`, fix: `install ${command}, or fix the entry's command` });
  }
  return out;
}

function resolveCommand(command: string, cwd: string): string | undefined {
  const candidates = isAbsolute(command) || command.includes('/') ? [join(isAbsolute(command) ? '' : cwd, command)] : (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((d) => join(d, command));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // Next.
    }
  }
  return undefined;
}

/** rea's hooks are registered, their scripts exist, and they answer: a blocked Read denied, `ls` allowed. */
export function checkHooks(root: string): DoctorCheck[] {
  let settings: Record<string, unknown> | undefined;
  try {
    settings = readJsonObject(join(root, '.claude', 'settings.json'), '.claude/settings.json');
  } catch (error) {
    return [{ name: 'claude hooks', ok: false, detail: errorMessage(error), fix: 'fix .claude/settings.json, then run `rea init`' }];
  }
  const registered = registeredReaHooks(settings ?? {});
  const out: DoctorCheck[] = [];
  for (const event of Object.keys(HOOK_EVENTS)) {
    const commands = registered[event] ?? [];
    out.push(commands.length > 0
      ? { name: `hook ${event}`, ok: true, detail: 'registered in .claude/settings.json' }
      : { name: `hook ${event}`, ok: false, detail: 'rea is not registered for this event: the agent\'s own tools (Bash, Read, Write…) go ungoverned', fix: INIT_FIX });
  }
  const pre = registered['PreToolUse']?.[0];
  if (pre === undefined) return out;
  const event = (tool: string, input: Record<string, unknown>): string =>
    JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 'rea-doctor', cwd: root, tool_name: tool, tool_input: input });
  const run = (input: string) => spawnSync('sh', ['-c', pre], { input, cwd: root, env: { ...process.env, CLAUDE_PROJECT_DIR: root }, encoding: 'utf8', timeout: 30_000 });
  // The signing-key directory is blocked for every channel, whatever the policy says.
  const blocked = run(event('Read', { file_path: join(homedir(), '.config', 'rea', 'keys', 'rea-doctor-probe') }));
  out.push(blocked.status === 2 && blocked.stderr.includes('blocked path')
    ? { name: 'hook answers: blocked Read', ok: true, detail: 'denied' }
    : { name: 'hook answers: blocked Read', ok: false, detail: `exit ${blocked.status ?? blocked.signal}, not 2 (deny): ${(blocked.stderr || blocked.stdout || '').trim().slice(0, 300)}`, fix: INIT_FIX });
  const ls = run(event('Bash', { command: 'ls' }));
  out.push(ls.status === 0
    ? { name: 'hook answers: ls', ok: true, detail: 'allowed' }
    : { name: 'hook answers: ls', ok: false, detail: `exit ${ls.status ?? ls.signal}: ${(ls.stderr || '').trim().slice(0, 300)}`, fix: 'see the message; `rea doctor` after fixing it' });
  return out;
}

/** Where Claude Code reads settings that can turn every hook off, the managed (enterprise) file last. */
function hookSettingFiles(root: string, home: string): string[] {
  const managed = process.platform === 'darwin' ? '/Library/Application Support/ClaudeCode/managed-settings.json' : '/etc/claude-code/managed-settings.json';
  return [join(root, '.claude', 'settings.json'), join(root, '.claude', 'settings.local.json'), join(home, '.claude', 'settings.json'), managed];
}

/** No settings file Claude Code reads turns hooks off (`disableAllHooks`, or managed hooks only). */
export function checkHooksEnabled(root: string, home = homedir()): DoctorCheck {
  for (const file of hookSettingFiles(root, home)) {
    let settings: Record<string, unknown> | undefined;
    try {
      settings = readJsonObject(file, file);
    } catch (error) {
      return { name: 'hooks enabled', ok: false, detail: errorMessage(error), fix: `fix ${file}: Claude Code may ignore it, or read a setting that turns hooks off` };
    }
    if (settings?.['disableAllHooks'] === true) return { name: 'hooks enabled', ok: false, detail: `${file} sets disableAllHooks: Claude Code runs no hooks, rea's included`, fix: `remove disableAllHooks from ${file}` };
    if (settings?.['allowManagedHooksOnly'] === true) return { name: 'hooks enabled', ok: false, detail: `${file} sets allowManagedHooksOnly: the project's hooks, rea's included, do not run`, fix: `register rea's hooks in ${file}, or remove allowManagedHooksOnly` };
  }
  return { name: 'hooks enabled', ok: true, detail: 'no settings file turns hooks off' };
}

export function checkGitGates(root: string): DoctorCheck[] {
  const status = inspectGitGates(root);
  if (status.problem !== undefined) return [{ name: 'git gates', ok: false, detail: status.problem, fix: INIT_FIX }];
  return status.gates.map((g) => (g.problems.length === 0
    ? { name: `git gate ${g.gate}`, ok: true, detail: g.chained ? `installed, runs ${g.chained.path} after` : 'installed' }
    : { name: `git gate ${g.gate}`, ok: false, detail: g.problems.join('; '), fix: INIT_FIX }));
}

export async function checkAudit(root: string): Promise<DoctorCheck> {
  const { files, startRule } = await chainFiles(reaPaths(root).audit);
  if (files.length === 0) return { name: 'audit chain', ok: true, detail: 'no audit log yet' };
  const report = await verifyChain({ files, startRule });
  return report.ok
    ? { name: 'audit chain', ok: true, detail: `${report.records} records, hash chain intact` }
    : { name: 'audit chain', ok: false, detail: `broken: ${JSON.stringify(report.firstBreak ?? report.unparseable[0])}`, fix: '`rea audit verify` shows where; keep the file as evidence and rotate (`rea audit rotate`)' };
}

/**
 * The gateway itself: start `rea serve` in a scratch project against the canary server, check a
 * call passes, that it is denied under HALT, and passes again once HALT is gone. The scratch
 * project is removed; the user's project never sees a HALT.
 */
export async function checkGatewaySelfTest(): Promise<DoctorCheck> {
  const name = 'gateway self-test';
  const scratch = mkdtempSync(join(tmpdir(), 'rea-doctor-'));
  const cli = fileURLToPath(new URL('../cli/index.js', import.meta.url));
  const canary = fileURLToPath(new URL('../demo/notes-server.js', import.meta.url));
  mkdirSync(join(scratch, '.rea'));
  writeFileSync(join(scratch, '.rea', 'registry.yaml'), `version: "1"\nservers:\n  - name: canary\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(canary)}]\n`);
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const client = new Client({ name: 'rea-doctor', version: '1.0.0' });
  const transport = new StdioClientTransport({ command: process.execPath, args: [cli, '--dir', scratch, 'serve'], env: { ...process.env, REA_LOG_LEVEL: 'error' } as Record<string, string>, stderr: 'ignore' });
  try {
    await client.connect(transport);
    const call = async (): Promise<boolean> => {
      const result = await client.callTool({ name: 'canary__read_note', arguments: { title: 'welcome' } });
      return result.isError !== true;
    };
    if (!(await call())) return { name, ok: false, detail: 'a read through the gateway failed', fix: 'see `rea serve` logs (REA_LOG_LEVEL=debug)' };
    writeFileSync(join(scratch, '.rea', 'HALT'), 'rea doctor self-test\n');
    const underHalt = await call();
    rmSync(join(scratch, '.rea', 'HALT'), { force: true });
    if (underHalt) return { name, ok: false, detail: 'a call went through under HALT', fix: 'reinstall rea; this build does not honour HALT' };
    if (!(await call())) return { name, ok: false, detail: 'calls stayed denied after HALT was lifted', fix: 'reinstall rea' };
    return { name, ok: true, detail: 'the gateway started, served the canary, denied under HALT and served again after' };
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error), fix: 'reinstall rea (`npm ci && npm run build` in its clone)' };
  } finally {
    await client.close().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}
