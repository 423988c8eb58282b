/**
 * `rea audit …`: verify, rotate, keygen, tail, query, summary. Output is for the operator on
 * stdout (this is the CLI, not the gateway); anything taken from the log is neutralised before it
 * reaches a terminal (THREAT_MODEL.md, terminal injection). Exit codes: 0 clean, 1 failed or
 * tampered, 2 usage.
 */
import type { Command } from 'commander';
import { stat } from 'node:fs/promises';
import { reaPaths } from '../../config/project-paths.js';
import { neutralizeTerminal } from '../../observability/terminal-safe.js';
import { errorMessage } from '../../errors.js';
import { EXIT } from '../exit-codes.js';
import { AuditLog, chainFiles, generateKeyPair, loadPublicKey, readAnchor, verifyChain } from '../../audit/index.js';
import type { AuditRecord, VerifyReport } from '../../audit/index.js';
import { defaultKeyDir } from '../../audit/keys.js';
import { follow, matches, parseTimeBound, readRecords, summarize } from '../../audit/query.js';
import type { AuditFilter } from '../../audit/query.js';
import { registerShipCommand } from './audit-ship.js';

const out = (text: string): void => void process.stdout.write(`${text}\n`);
const safe = (text: unknown): string => neutralizeTerminal(String(text));

function fail(code: number, message: string): void {
  process.stderr.write(`rea audit: ${message}\n`);
  process.exitCode = code;
}

export function registerAuditCommands(program: Command, resolveRoot: () => string): void {
  const audit = program.command('audit').description('Verify, rotate and read the hash-chained audit log (.rea/audit.jsonl)');
  // `rea audit query --json | head` closes our stdout early: that is the reader being done, not an
  // error. Installed only when an audit command runs: `rea serve` shuts down gracefully on EPIPE.
  audit.hook('preAction', () => {
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  });

  audit
    .command('verify')
    .description('Check the hash chain; exit 0 only when it is whole')
    .option('--all', 'walk every rotated file before the current one')
    .option('--since <file>', 'start at this rotated file (audit-YYYYMMDD-HHMMSS.jsonl)')
    .option('--pubkey <file>', 'verify signed checkpoints with this Ed25519 public key')
    .option('--anchor <file>', 'check the log still holds the head signed in this anchor (needs --pubkey)')
    .option('--file <dump...>', "verify these files instead (a collector's JSON-lines dump of shipped records, in order; repeated records are skipped)")
    .option('--json', 'print the report as JSON')
    .action(async (opts: { all?: boolean; since?: string; pubkey?: string; anchor?: string; file?: string[]; json?: boolean }) => {
      if (opts.anchor !== undefined && opts.pubkey === undefined) return fail(EXIT.USAGE, '--anchor needs --pubkey to check its signature');
      if (opts.file !== undefined && (opts.all || opts.since !== undefined)) return fail(EXIT.USAGE, '--file verifies the given files; it cannot be combined with --all or --since');
      try {
        const auditPath = reaPaths(resolveRoot()).audit;
        const scope = opts.file !== undefined ? await dumpScope(opts.file) : await chainFiles(auditPath, { ...(opts.all ? { all: true } : {}), ...(opts.since === undefined ? {} : { since: opts.since }) });
        if (scope.files.length === 0) return fail(EXIT.FAILURE, `no audit log at ${auditPath}`);
        const publicKey = opts.pubkey === undefined ? undefined : await loadPublicKey(opts.pubkey);
        const anchor = opts.anchor === undefined ? undefined : await readAnchor(opts.anchor);
        const report = await verifyChain({
          files: scope.files,
          startRule: scope.startRule,
          ...(publicKey ? { publicKey } : {}),
          ...(anchor ? { anchor } : {}),
          ...(opts.file !== undefined ? { dropDuplicates: true } : {}),
        });
        if (opts.json) out(JSON.stringify(report));
        else printReport(report);
        process.exitCode = report.ok ? EXIT.OK : EXIT.FAILURE;
      } catch (error) {
        fail(opts.since === undefined ? EXIT.FAILURE : EXIT.USAGE, errorMessage(error));
      }
    });

  registerShipCommand(audit, resolveRoot);

  audit
    .command('rotate')
    .description('Rotate the audit log now (same lock and marker as automatic rotation)')
    .action(async () => {
      const log = await AuditLog.open(reaPaths(resolveRoot()).audit, { sessionId: 'cli' });
      try {
        const result = await log.rotateNow();
        out(result.rotated ? `Rotated to ${result.rotatedTo}; the new file starts with a marker chained to its tail.` : 'Audit log empty: nothing to rotate.');
      } catch (error) {
        fail(EXIT.FAILURE, errorMessage(error));
      } finally {
        await log.close();
      }
    });

  audit
    .command('keygen')
    .description('Create the Ed25519 key pair that signs audit checkpoints (kept outside the project)')
    .option('--out <dir>', `directory for the key pair (default ${defaultKeyDir()})`)
    .action(async (opts: { out?: string }) => {
      try {
        const keys = await generateKeyPair(resolveRoot(), opts.out ?? defaultKeyDir());
        out(`Private key: ${keys.privateKey} (mode 0600; keep it away from the agent)`);
        out(`Public key:  ${keys.publicKey}`);
        out(`Key id:      ${keys.keyId}`);
      } catch (error) {
        fail(EXIT.USAGE, errorMessage(error));
      }
    });

  audit
    .command('tail')
    .description('Show the last records, and with -f keep showing new ones')
    .option('-n <count>', 'how many records', '20')
    .option('-f, --follow', 'keep printing records as they are appended')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { n: string; follow?: boolean; json?: boolean }) => {
      const count = Number(opts.n);
      if (!Number.isInteger(count) || count < 0) return fail(EXIT.USAGE, `-n must be a whole number, got \`${opts.n}\``);
      const auditPath = reaPaths(resolveRoot()).audit;
      const last: AuditRecord[] = [];
      const size = (await stat(auditPath).catch(() => undefined))?.size ?? 0;
      if (size > 0) {
        for await (const r of readRecords([auditPath])) {
          last.push(r);
          if (last.length > count) last.shift();
        }
      }
      const print = (r: AuditRecord): void => out(opts.json ? JSON.stringify(r) : formatRecord(r));
      last.forEach(print);
      if (opts.follow) {
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort());
        await follow(auditPath, size, print, controller.signal);
      }
    });

  audit
    .command('query')
    .description('Records matching filters, oldest first')
    .option('--server <name>').option('--tool <name>').option('--status <status>', 'allowed | denied | error')
    .option('--tier <tier>', 'read | write | destructive').option('--session <id>').option('--deny-code <code>')
    .option('--since <time>', 'ISO time or age (30m, 12h, 7d)').option('--until <time>', 'ISO time or age')
    .option('--all', 'include rotated files')
    .option('--json', 'one JSON object per line')
    .action(async (opts: QueryOptions & { json?: boolean }) => {
      const parsed = filterFrom(opts);
      if (typeof parsed === 'string') return fail(EXIT.USAGE, parsed);
      const files = await filesFor(resolveRoot(), opts.all);
      for await (const r of readRecords(files)) if (matches(r, parsed)) out(opts.json ? JSON.stringify(r) : formatRecord(r));
    });

  audit
    .command('summary')
    .description('Counts by status, tier and server, and the most denied tools')
    .option('--since <time>', 'ISO time or age (30m, 12h, 7d)').option('--until <time>', 'ISO time or age')
    .option('--all', 'include rotated files')
    .option('--json', 'print as JSON')
    .action(async (opts: QueryOptions & { json?: boolean }) => {
      const parsed = filterFrom(opts);
      if (typeof parsed === 'string') return fail(EXIT.USAGE, parsed);
      const summary = await summarize(readRecords(await filesFor(resolveRoot(), opts.all)), parsed);
      if (opts.json) return out(JSON.stringify(summary));
      out(`${summary.records} records (outcomes and events)`);
      for (const [title, counts] of [['status', summary.byStatus], ['tier', summary.byTier], ['server', summary.byServer]] as const) {
        out(`by ${title}: ${Object.entries(counts).map(([k, v]) => `${safe(k)}=${v}`).join('  ') || '-'}`);
      }
      out('top denied:');
      for (const d of summary.topDenied) out(`  ${String(d.count).padStart(6)}  ${safe(d.server)}/${safe(d.tool)}`);
    });
}

interface QueryOptions {
  server?: string; tool?: string; status?: string; tier?: string; session?: string; denyCode?: string;
  since?: string; until?: string; all?: boolean;
}

function filterFrom(o: QueryOptions): AuditFilter | string {
  try {
    return {
      ...(o.server === undefined ? {} : { server: o.server }), ...(o.tool === undefined ? {} : { tool: o.tool }),
      ...(o.status === undefined ? {} : { status: o.status }), ...(o.tier === undefined ? {} : { tier: o.tier }),
      ...(o.session === undefined ? {} : { session: o.session }), ...(o.denyCode === undefined ? {} : { denyCode: o.denyCode }),
      ...(o.since === undefined ? {} : { sinceMs: parseTimeBound(o.since) }), ...(o.until === undefined ? {} : { untilMs: parseTimeBound(o.until) }),
    };
  } catch (error) {
    return errorMessage(error);
  }
}

async function filesFor(root: string, all: boolean | undefined): Promise<string[]> {
  const auditPath = reaPaths(root).audit;
  const { files } = await chainFiles(auditPath, all ? { all: true } : {});
  return files;
}

function formatRecord(r: AuditRecord): string {
  const deny = r.deny_code === undefined ? '' : ` [${r.deny_stage === undefined ? '' : `${safe(r.deny_stage)}:`}${safe(r.deny_code)}]`;
  const err = r.error === undefined ? '' : ` ${safe(r.error)}`;
  const phase = r.phase === undefined || r.phase === 'outcome' ? '' : ` (${safe(r.phase)})`;
  return `${safe(r.timestamp)} ${safe(r.status).padEnd(7)} ${safe(r.tier).padEnd(11)} ${safe(r.server_name)}/${safe(r.tool_name)}${phase} ${r.duration_ms}ms${deny}${err}`;
}

/** `--file`: the dump must start at genesis or at a rotation marker, like the local chain. */
async function dumpScope(files: string[]): Promise<{ files: string[]; startRule: 'genesis-or-marker' }> {
  for (const file of files) {
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) throw new Error(`--file: ${file} is not a readable file`);
  }
  return { files, startRule: 'genesis-or-marker' };
}

function printReport(r: VerifyReport): void {
  const where = (l: { file: string; line: number; record: number }): string => `${safe(l.file)} line ${l.line} (record ${l.record})`;
  if (r.ok) {
    out(`Audit chain verified: ${r.records} records in ${r.files.length} file(s), clean.${r.duplicates ? ` (${r.duplicates} repeated record(s) skipped)` : ''}`);
  } else if (r.firstBreak !== undefined) {
    out(`Audit chain BROKEN at ${where(r.firstBreak)}: ${r.firstBreak.reason}: ${safe(r.firstBreak.detail)}`);
    if (r.breaks > 1) out(`${r.breaks - 1} further break(s) after it.`);
  }
  for (const u of r.unparseable) out(`unparseable: ${where(u)}: ${safe(u.detail)}`);
  if (r.checkpoints > 0 || r.anchor !== undefined) {
    out(`signed checkpoints verified: ${r.checkpoints}${r.unsignedTail === undefined ? '' : `; ${r.unsignedTail} record(s) after the last one`}`);
  }
  if (r.anchor !== undefined) out(`anchor: ${r.anchor}`);
}
