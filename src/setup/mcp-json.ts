import { serveEntry, type ReaInstall } from './rea-install.js';

/**
 * Put every stdio server of `.mcp.json` behind `rea serve --wrap`, keeping its name, command,
 * args and env (the variables it is given are forwarded to it by name). Servers with a URL
 * (http, sse) are not processes rea can wrap; they are left as they are and reported.
 */
export interface McpEntry {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
  type?: string;
  [key: string]: unknown;
}

export interface WrapReport {
  readonly wrapped: string[];
  readonly already: string[];
  /** Wrapped by an earlier `rea init`, and written again with this rea's launch line. */
  readonly refreshed: string[];
  readonly remote: string[];
}

/** The original command line of a wrapped entry, or undefined when the entry is not rea's wrap. */
export function unwrappedEntry(entry: McpEntry): McpEntry | undefined {
  const args = entry.args ?? [];
  const wrap = args.indexOf('--wrap');
  const dash = args.indexOf('--');
  if (wrap === -1 || dash === -1 || !args.includes('serve') || !isReaLauncher(entry, args)) return undefined;
  const [command, ...rest] = args.slice(dash + 1);
  if (command === undefined) return undefined;
  return { ...entry, command, args: rest };
}

/** A rea CLI script, as `rea init` names it (the project's `node_modules/rea` or a clone). */
const REA_CLI = /\/dist\/cli\/index\.js$/;

function isReaLauncher(entry: McpEntry, args: readonly string[]): boolean {
  return /(?:^|\/)rea$/.test(entry.command ?? '') || args.some((a) => REA_CLI.test(a));
}

/** An entry as `rea init` writes it: a node binary starting a rea CLI script. */
export function initWritten(entry: McpEntry): boolean {
  return /(?:^|\/)node(?:\.exe)?$/.test(entry.command ?? '') && (entry.args ?? []).some((a) => REA_CLI.test(a));
}

function wrapEntry(name: string, entry: McpEntry, install: ReaInstall, root: string): McpEntry {
  const envNames = Object.keys(entry.env ?? {});
  const launch = serveEntry(install, ['--dir', root, 'serve', '--wrap', '--name', name, ...(envNames.length > 0 ? ['--env', ...envNames] : []), '--', entry.command!, ...(entry.args ?? [])]);
  // Same keys in the same order: only command and args change (args is added after command when absent).
  const out: McpEntry = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'command') {
      out.command = launch.command;
      out.args = launch.args;
    } else if (key !== 'args') out[key] = value;
  }
  return out;
}

export function wrapServers(servers: Record<string, McpEntry>, install: ReaInstall, root: string): { servers: Record<string, McpEntry>; report: WrapReport } {
  const report: WrapReport = { wrapped: [], already: [], refreshed: [], remote: [] };
  const out: Record<string, McpEntry> = {};
  for (const [name, entry] of Object.entries(servers)) {
    const inner = unwrappedEntry(entry);
    if (typeof entry.command !== 'string' || entry.url !== undefined) {
      report.remote.push(name);
      out[name] = entry;
    } else if (inner !== undefined) {
      // One init wrote (node starting a rea CLI) is written again as this rea would, so a rea
      // upgrade's launch flags reach it; a hand-written one (`rea serve --wrap …`) is left alone.
      const current = initWritten(entry) ? wrapEntry(name, inner, install, root) : entry;
      (JSON.stringify(current) === JSON.stringify(entry) ? report.already : report.refreshed).push(name);
      out[name] = current;
    } else {
      report.wrapped.push(name);
      out[name] = wrapEntry(name, entry, install, root);
    }
  }
  return { servers: out, report };
}

export function unwrapServers(servers: Record<string, McpEntry>): Record<string, McpEntry> {
  return Object.fromEntries(Object.entries(servers).map(([name, entry]) => [name, unwrappedEntry(entry) ?? entry]));
}
