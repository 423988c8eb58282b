import type { Command } from 'commander';
import { reaPaths } from '../../config/project-paths.js';
import { errorMessage } from '../../errors.js';
import { acceptPending, diffSnapshots, pendingFor } from '../../registry/tofu-accept.js';
import { loadStore, updateStore, type FingerprintFile } from '../../registry/tofu-store.js';
import { neutralizeTerminal } from '../../observability/terminal-safe.js';
import { EXIT } from '../exit-codes.js';
import { recordCliEvent } from '../record-event.js';

/** Everything printed comes from downstreams (names, descriptions): neutralise it (THREAT_MODEL.md, terminal injection). */
const safe = (text: string): string => neutralizeTerminal(text);
const short = (sha: string | undefined): string => (sha === undefined ? '-' : sha.slice(0, 12));

function renderList(store: FingerprintFile): string {
  const names = [...new Set([...Object.keys(store.servers), ...Object.keys(store.catalog ?? {})])].sort();
  if (names.length === 0) return 'No pins yet: the gateway pins each server the first time it starts it.\n';
  const lines: string[] = [];
  for (const name of names) {
    const c = store.catalog?.[name];
    const counts = c ? `${Object.keys(c.tools).length} tools, ${Object.keys(c.prompts).length} prompts, ${Object.keys(c.resource_templates).length} resource templates${c.instructions ? ', instructions' : ''}` : 'catalog not pinned yet';
    lines.push(`${safe(name)}  launch ${short(store.servers[name])}  ${counts}`);
    for (const p of pendingFor(store, name)) lines.push(`  PENDING ${p.kind} ${safe(p.name)} (${p.reason}, seen ${p.seen_at}): withheld until \`rea tofu accept ${safe(name)}\``);
  }
  return `${lines.join('\n')}\n`;
}

function renderDiff(store: FingerprintFile, server: string): string {
  const pending = pendingFor(store, server);
  if (pending.length === 0) return `No pending changes for server "${safe(server)}".\n`;
  const entry = store.catalog?.[server];
  const lines: string[] = [];
  for (const p of pending) {
    lines.push(`${p.kind} ${safe(p.name)}: ${p.reason === 'changed' ? 'changed since it was pinned' : 'new since the server was pinned'}`);
    const pinned =
      p.kind === 'tool' ? entry?.tools[p.name]?.snapshot
      : p.kind === 'prompt' ? entry?.prompts[p.name]?.snapshot
      : p.kind === 'resource_template' ? entry?.resource_templates[p.name]?.snapshot
      : p.kind === 'instructions' ? entry?.instructions?.snapshot
      : undefined;
    for (const d of diffSnapshots(pinned ?? {}, p.snapshot)) {
      lines.push(`  ${d.field}:`);
      if (d.before !== undefined) lines.push(`  - ${safe(JSON.stringify(d.before))}`);
      if (d.after !== undefined) lines.push(`  + ${safe(JSON.stringify(d.after))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `rea tofu list | diff <server> | accept <server> [--tool NAME] [--prompt NAME] --reason "…"`. */
export function registerTofuCommands(program: Command, resolveRoot: () => string): void {
  const tofu = program.command('tofu').description('Trust-on-first-use pins of downstream servers and what they advertise');

  tofu
    .command('list')
    .description('Show pinned servers and changes withheld from the agent')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      await run(async () => {
        const store = await loadStore(reaPaths(resolveRoot()).fingerprints);
        process.stdout.write(opts.json ? `${JSON.stringify(store, null, 2)}\n` : renderList(store));
      });
    });

  tofu
    .command('diff <server>')
    .description('Show what changed in a server since it was pinned')
    .action(async (server: string) => {
      await run(async () => {
        process.stdout.write(renderDiff(await loadStore(reaPaths(resolveRoot()).fingerprints), server));
      });
    });

  tofu
    .command('accept <server>')
    .description('Accept pending changes of a server (all, or one tool/prompt) so the agent sees them again')
    .option('--tool <name>', 'accept only this tool')
    .option('--prompt <name>', 'accept only this prompt')
    .requiredOption('--reason <text>', 'why the change is trusted (recorded in the audit log)')
    .action(async (server: string, opts: { tool?: string; prompt?: string; reason: string }) => {
      await run(async () => {
        const paths = reaPaths(resolveRoot());
        if (opts.reason.trim() === '') throw new UsageError('rea tofu accept: --reason must not be empty; say why the change is trusted');
        const now = new Date().toISOString();
        const accepted = await updateStore(paths.fingerprints, (store) => acceptPending(store, server, { tool: opts.tool, prompt: opts.prompt }, opts.reason, now));
        if (accepted.length === 0) {
          const what = opts.tool ? `tool "${safe(opts.tool)}" of server` : opts.prompt ? `prompt "${safe(opts.prompt)}" of server` : 'server';
          throw new UsageError(`rea tofu accept: nothing pending for ${what} "${safe(server)}"; run \`rea tofu list\` to see pending changes`);
        }
        await recordCliEvent(paths, 'rea.tofu.accepted', { server, items: accepted, reason: opts.reason });
        for (const a of accepted) process.stdout.write(`Accepted ${a.kind} ${safe(a.name)} of "${safe(server)}" (${a.reason}, ${short(a.sha256)}).\n`);
      });
    });
}

class UsageError extends Error {}

async function run(body: () => Promise<void>): Promise<void> {
  try {
    await body();
    process.exitCode = EXIT.OK;
  } catch (error) {
    process.stderr.write(`${error instanceof UsageError ? '' : 'rea tofu: '}${errorMessage(error)}\n`);
    process.exitCode = error instanceof UsageError ? EXIT.USAGE : EXIT.FAILURE;
  }
}
