import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyChain } from '../../src/audit/index.js';
import type { AuditRecord } from '../../src/audit/index.js';

const WRITER = join(import.meta.dirname, '..', 'fixtures', 'audit', 'writer.mjs');
let root: string;
let auditPath: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rea-audit-proc-'));
  auditPath = join(root, '.rea', 'audit.jsonl');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function runWriter(count: string, concurrency: number, tag: string, onAck?: (line: string) => void) {
  const child = spawn(process.execPath, [WRITER, auditPath, count, String(concurrency), tag], { stdio: ['ignore', 'pipe', 'ignore'] });
  const acks: string[] = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      acks.push(line);
      onAck?.(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, acks, exited };
}

async function records(): Promise<AuditRecord[]> {
  return (await readFile(auditPath, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord);
}

describe('audit log across processes', () => {
  it('keeps one linear chain with every record when several processes append at once', async () => {
    const writers = ['a', 'b', 'c', 'd'].map((tag) => runWriter('150', 4, tag));
    expect(await Promise.all(writers.map((w) => w.exited))).toEqual([0, 0, 0, 0]);
    const all = await records();
    expect(all).toHaveLength(600);
    expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 600 }, (_, i) => i));
    for (const tag of ['a', 'b', 'c', 'd']) {
      expect(new Set(all.filter((r) => r.server_name === tag).map((r) => r.call_id)).size).toBe(150);
    }
    expect((await verifyChain({ files: [auditPath] })).ok).toBe(true);
  });

  it('keeps every acknowledged record and a verifiable chain when writers are killed with SIGKILL mid-append', async () => {
    const acked = new Set<string>();
    for (let round = 0; round < 5; round += 1) {
      const killAfter = 5 + ((round * 37) % 60);
      let seen = 0;
      const writer = runWriter('forever', 8, `w${round}`, (line) => {
        acked.add(line.split(' ')[3] ?? '');
        seen += 1;
        if (seen === killAfter) writer.child.kill('SIGKILL');
      });
      await writer.exited;
    }
    // The next writer recovers whatever the last kill tore.
    const last = runWriter('1', 1, 'final');
    expect(await last.exited).toBe(0);
    const hashes = new Set((await records()).map((r) => r.hash));
    for (const hash of acked) expect(hashes.has(hash)).toBe(true);
    const report = await verifyChain({ files: [auditPath] });
    expect(report.firstBreak).toBeUndefined();
    expect(report.ok).toBe(true);
    const evidence = (await readdir(join(root, '.rea'))).filter((n) => n.startsWith('audit.torn-'));
    const recoveries = (await records()).filter((r) => r.tool_name === 'rea.audit.recovery');
    expect(recoveries).toHaveLength(evidence.length);
  }, 90_000);
});
