import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { renderProfile } from '../config/profiles.js';
import { reaPaths } from '../config/project-paths.js';
import { installGitGates, uninstallGitGates } from '../git-gates/install.js';
import { withoutReaHooks, withReaHooks } from './claude-settings.js';
import { unwrapServers, wrapServers, type McpEntry } from './mcp-json.js';
import { jsonText, readBackup, readJsonObject, readText, restoreTracked, writeTracked, type Backup } from './project-files.js';
import { reaInstallFor, serveEntry, type ReaInstall } from './rea-install.js';
import { writeFileAtomic } from '../atomic-write.js';

export const EMPTY_REGISTRY = '# Downstream MCP servers rea spawns and governs (see the README).\nversion: "1"\nservers: []\n';
const GITIGNORE_BEGIN = '# rea: runtime files (rea init)';
const GITIGNORE_END = '# end rea';
const GITIGNORE_LINES = ['.rea/audit.jsonl', '.rea/audit-*.jsonl', '.rea/serve.pid', '.rea/serve.state.json', '.rea/cache/', '.rea/spool/', '.rea/init-backup.json', '.rea.lock/'];

export interface InitOptions {
  readonly profile: string;
  readonly force: boolean;
  /** `registry`: move `.mcp.json`'s stdio servers into `.rea/registry.yaml` behind one `rea` entry. */
  readonly mcpMode: 'wrap' | 'registry';
  readonly installedBy: string;
}

/** One line per thing init did or left alone, for the user to read. */
export type InitReport = string[];

function projectFiles(root: string) {
  return {
    settings: join(root, '.claude', 'settings.json'),
    mcp: join(root, '.mcp.json'),
    gitignore: join(root, '.gitignore'),
    backup: join(reaPaths(root).dir, 'init-backup.json'),
  };
}

/**
 * Wire a project in one go: policy and registry (when absent), `.mcp.json` servers through rea,
 * rea's hooks in `.claude/settings.json`, the git gates, `.gitignore` lines. Every file is read and
 * checked before any is written, so a settings file that does not parse stops init with nothing
 * changed. Running it again changes no byte.
 */
export function initProject(root: string, options: InitOptions, install: ReaInstall = reaInstallFor(root)): InitReport {
  const paths = reaPaths(root);
  const files = projectFiles(root);
  const settings = readJsonObject(files.settings, '.claude/settings.json') ?? {};
  const mcp = readJsonObject(files.mcp, '.mcp.json');
  const servers = (mcp?.['mcpServers'] as Record<string, McpEntry> | undefined) ?? {};
  const backup = readBackup(files.backup);
  const report: InitReport = [];

  const policyText = existsSync(paths.policy) && !options.force ? undefined : renderProfile(options.profile, options.installedBy);
  if (policyText === undefined) report.push('.rea/policy.yaml: kept (it exists; --force replaces it)');
  else if (writeTracked(paths.policy, policyText, backup)) report.push(`.rea/policy.yaml: written from profile ${options.profile}`);

  let registryText = readText(paths.registry) ?? EMPTY_REGISTRY;
  let mcpServers = servers;
  if (mcp !== undefined && options.mcpMode === 'registry') {
    const moved = moveToRegistry(servers, registryText, install, root);
    registryText = moved.registryText;
    mcpServers = moved.servers;
    report.push(...moved.report);
  } else if (mcp !== undefined) {
    const wrapped = wrapServers(servers, install, root);
    mcpServers = wrapped.servers;
    for (const name of wrapped.report.wrapped) report.push(`.mcp.json: ${name} now runs through rea serve --wrap (same name, args and env)`);
    for (const name of wrapped.report.already) report.push(`.mcp.json: ${name} already runs through rea`);
    for (const name of wrapped.report.refreshed) report.push(`.mcp.json: ${name} runs through rea; its launch line is brought up to date`);
    for (const name of wrapped.report.remote) report.push(`.mcp.json: ${name} has a URL (http/sse), not a command rea can wrap; left as it is and not governed by rea`);
  }
  if (writeTracked(paths.registry, registryText, backup)) report.push('.rea/registry.yaml: written');
  if (mcp !== undefined && writeTracked(files.mcp, jsonText({ ...mcp, mcpServers }), backup)) report.push('.mcp.json: updated');
  if (mcp === undefined) report.push('.mcp.json: none (nothing to wrap)');

  if (writeTracked(files.settings, jsonText(withReaHooks(settings, install)), backup)) report.push('.claude/settings.json: rea PreToolUse and PostToolUse hooks registered (your other settings kept)');
  else report.push('.claude/settings.json: rea hooks already registered');

  const gates = installGitGates(root, { node: install.node, cli: install.cli });
  if (gates.problem !== undefined) report.push(`git gates: not installed (${gates.problem})`);
  for (const gate of gates.gates) report.push(`git gates: ${gate.gate} ${gate.action}${gate.chained ? ` (runs ${gate.chained} after)` : ''}`);

  const gitignore = readText(files.gitignore) ?? '';
  if (!gitignore.includes(GITIGNORE_BEGIN)) {
    const block = [GITIGNORE_BEGIN, ...GITIGNORE_LINES, GITIGNORE_END].join('\n');
    writeTracked(files.gitignore, `${gitignore}${gitignore === '' || gitignore.endsWith('\n') ? '' : '\n'}${block}\n`, backup);
    report.push('.gitignore: rea runtime files added');
  }
  if (Object.keys(backup).length > 0 && jsonText(backup) !== readText(files.backup)) writeFileAtomic(files.backup, jsonText(backup), 0o644);
  return report;
}

function moveToRegistry(servers: Record<string, McpEntry>, registryText: string, install: ReaInstall, root: string) {
  const registry = (parseYaml(registryText) as { servers?: Record<string, unknown>[] } | null) ?? {};
  const list = registry.servers ?? [];
  const report: string[] = [];
  const kept: Record<string, McpEntry> = {};
  for (const [name, entry] of Object.entries(servers)) {
    if (typeof entry.command !== 'string' || entry.url !== undefined || name === 'rea') {
      kept[name] = entry;
      if (name !== 'rea') report.push(`.mcp.json: ${name} has a URL (http/sse); left as it is and not governed by rea`);
      continue;
    }
    const registryName = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '') || 'server';
    if (!list.some((s) => s['name'] === registryName)) list.push({ name: registryName, command: entry.command, args: entry.args ?? [], ...(entry.env ? { env: entry.env } : {}) });
    report.push(`.mcp.json: ${name} moved to .rea/registry.yaml as ${registryName} (its tools are now ${registryName}__<tool>)`);
  }
  kept['rea'] = serveEntry(install, ['--dir', root, 'serve']);
  return { servers: kept, registryText: `# Downstream MCP servers rea spawns and governs (see the README).\n${stringify({ version: '1', servers: list })}`, report };
}

/** Take back what init did: files still as init left them are restored, edited ones have rea's parts removed. */
export function undoInit(root: string): InitReport {
  const files = projectFiles(root);
  const backup: Backup = readBackup(files.backup);
  const report: InitReport = [];
  const gates = uninstallGitGates(root);
  for (const gate of gates.gates) report.push(`git gates: ${gate.gate} ${gate.action}`);
  for (const [file, entry] of Object.entries(backup)) {
    const outcome = restoreTracked(file, entry);
    const name = file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
    if (outcome !== 'edited') {
      report.push(`${name}: ${outcome === 'removed' ? 'removed (rea created it)' : 'restored'}`);
      continue;
    }
    if (file === files.settings) {
      writeFileAtomic(file, jsonText(withoutReaHooks(readJsonObject(file, '.claude/settings.json') ?? {})), 0o644);
      report.push(`${name}: edited since rea init; rea's hooks taken out, the rest kept`);
    } else if (file === files.mcp) {
      const mcp = readJsonObject(file, '.mcp.json') ?? {};
      writeFileAtomic(file, jsonText({ ...mcp, mcpServers: unwrapServers((mcp['mcpServers'] as Record<string, McpEntry> | undefined) ?? {}) }), 0o644);
      report.push(`${name}: edited since rea init; servers unwrapped, the rest kept`);
    } else if (file === files.gitignore) {
      const text = readText(file) ?? '';
      const start = text.indexOf(GITIGNORE_BEGIN);
      const end = text.indexOf(GITIGNORE_END);
      if (start !== -1 && end > start) writeFileAtomic(file, text.slice(0, start) + text.slice(end + GITIGNORE_END.length + 1), 0o644);
      report.push(`${name}: edited since rea init; rea's lines taken out`);
    } else {
      report.push(`${name}: edited since rea init; kept`);
    }
  }
  rmSync(files.backup, { force: true });
  return report;
}
