import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { errorMessage } from '../errors.js';
import { chainFiles, verifyChain } from '../audit/index.js';

const CLI = fileURLToPath(new URL('./index.js', import.meta.url));
const NOTES_SERVER = fileURLToPath(new URL('../demo/notes-server.js', import.meta.url));

/**
 * `rea demo`: a throwaway project with one example server, the gateway in front of it, and a
 * scripted agent session through it; prints each step and what the gateway decided.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Run the gateway on a built-in example and drive a scripted MCP session through it')
    .option('--keep', 'keep the temporary project directory for inspection')
    .action(async (opts: { keep?: boolean }) => {
      const root = mkdtempSync(join(tmpdir(), 'rea-demo-'));
      try {
        await runDemo(root);
      } catch (error) {
        process.stderr.write(`rea demo failed: ${errorMessage(error)}\n`);
        process.exitCode = EXIT.FAILURE;
      } finally {
        if (opts.keep) process.stdout.write(`\nProject kept at ${root}\n`);
        else rmSync(root, { recursive: true, force: true });
      }
    });
}

async function runDemo(root: string): Promise<void> {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const out = (line: string) => process.stdout.write(line + '\n');
  mkdirSync(join(root, '.rea'));
  writeFileSync(
    join(root, '.rea', 'registry.yaml'),
    `version: "1"\nservers:\n  - name: notes\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(NOTES_SERVER)}]\n`,
  );
  writeFileSync(
    join(root, '.rea', 'policy.yaml'),
    'version: "1"\nautonomy_level: L1\nmax_autonomy_level: L2\nblocked_paths: [".env", "secrets/**"]\n',
  );
  out(`Project: ${root}`);
  out('Registry: one server "notes" (read_note, write_note, delete_note, read_file). Policy: autonomy L1.\n');

  const client = new Client({ name: 'rea-demo', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve', '--dir', root],
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', REA_LOG_LEVEL: 'warn' },
    stderr: 'ignore',
  });
  await client.connect(transport);
  try {
    const { tools } = await client.listTools();
    out(`tools/list → ${tools.map((t) => t.name).join(', ')}`);
    const call = async (label: string, name: string, args: Record<string, unknown>) => {
      const result = await client.callTool({ name, arguments: args });
      const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? `[${c.type}]`).join(' ');
      out(`${label.padEnd(44)} → ${result.isError ? 'DENIED ' : 'ok     '} ${text.split('\n')[0]}`);
    };
    await call('read  notes__read_note(welcome)', 'notes__read_note', { title: 'welcome' });
    await call('write notes__write_note(todo)', 'notes__write_note', { title: 'todo', body: 'ship it' });
    await call('destructive notes__delete_note(todo) at L1', 'notes__delete_note', { title: 'todo' });
    await call('read  notes__read_file(.env)', 'notes__read_file', { path: '.env' });
    await call('read  notes__read_file(%2e%72%65%61/HALT)', 'notes__read_file', { path: '%2e%72%65%61/HALT' });
    writeFileSync(join(root, '.rea', 'HALT'), 'demo freeze (frozen by rea demo)\n');
    out('\n$ rea freeze --reason "demo freeze"');
    await call('read  notes__read_note(welcome) under HALT', 'notes__read_note', { title: 'welcome' });
    rmSync(join(root, '.rea', 'HALT'));
    out('$ rea unfreeze\n');
    const health = await client.callTool({ name: '__rea__health', arguments: {} });
    const report = health.structuredContent as { downstreams: { name: string; state: string; tools: number }[] };
    out(`${'rea health (__rea__health)'.padEnd(44)} → ok      ${report.downstreams.map((d) => `${d.name}: ${d.state}, ${d.tools} tools`).join('; ')}`);
  } finally {
    await client.close();
  }
  await printAudit(root, out);
}

/** What the operator can prove afterwards: every decision, in a chain that verifies. */
async function printAudit(root: string, out: (line: string) => void): Promise<void> {
  const auditPath = join(root, '.rea', 'audit.jsonl');
  const records = readFileSync(auditPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  out(`\n.rea/audit.jsonl (${records.length} records):`);
  for (const r of records) {
    const what = `${String(r['server_name'])}/${String(r['tool_name'])}`;
    const detail = r['deny_code'] ? `deny_code=${String(r['deny_code'])}` : r['phase'] === 'intent' ? 'intent (written before forwarding)' : '';
    out(`  ${String(r['seq'] ?? '').padStart(3)} ${String(r['status']).padEnd(8)} ${String(r['tier']).padEnd(12)} ${what.padEnd(34)} ${detail}`);
  }
  const { files, startRule } = await chainFiles(auditPath);
  const verdict = await verifyChain({ files, startRule });
  out(verdict.ok ? `\nrea audit verify: ${verdict.records} records, hash chain intact.` : `\nrea audit verify: BROKEN at record ${verdict.firstBreak?.record}`);
}
