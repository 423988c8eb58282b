import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateKeyPairSync, createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, readAnchor, verifyChain } from '../../../src/audit/index.js';
import type { Anchor, AuditRecord, VerifyReport } from '../../../src/audit/index.js';
import { signHead } from '../../../src/audit/checkpoint.js';

let dir: string;
let original: string;
let lines: string[];
let anchor: Anchor;
let publicKey: KeyObject;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rea-prop-'));
  const keys = generateKeyPairSync('ed25519');
  publicKey = keys.publicKey;
  const path = join(dir, '.rea', 'audit.jsonl');
  const log = await AuditLog.open(path, { sessionId: 's', checkpoint: { key: keys.privateKey, everyRecords: 4 } });
  for (let i = 0; i < 14; i += 1) {
    await log.append({ tool_name: `tool_${i}`, server_name: i % 2 ? 'fs' : 'mem', status: i % 3 ? 'allowed' : 'denied', metadata: { n: i, note: 'é\u001b' } });
  }
  await log.close();
  original = await readFile(path, 'utf8');
  lines = original.trimEnd().split('\n');
  anchor = await readAnchor(join(dir, '.rea', 'audit.anchor.json'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verifyText(text: string | Buffer): Promise<VerifyReport> {
  const file = join(dir, `mutated-${(counter += 1)}.jsonl`);
  await writeFile(file, text);
  return verifyChain({ files: [file], publicKey, anchor });
}

/** Line number (1-based) holding byte offset `pos` of the original text. */
function lineOf(pos: number): number {
  return Buffer.from(original).subarray(0, pos).filter((b) => b === 0x0a).length + 1;
}

/** What an attacker without the key can do: rewrite records, re-hash everything, re-sign with their own key. */
function rewriteChain(records: AuditRecord[], key: KeyObject): string {
  let prev = '0'.repeat(64);
  return records.map((record) => {
    const rest: Omit<AuditRecord, 'hash'> & { hash?: string } = { ...record };
    delete rest.hash;
    rest.prev_hash = prev;
    if (rest.tool_name === 'rea.audit.checkpoint') rest.metadata = { checkpoint: signHead(key, (rest.seq ?? 1) - 1, prev) };
    prev = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
    return JSON.stringify({ ...rest, hash: prev });
  }).join('\n') + '\n';
}

describe('verify against mutations of a signed log', () => {
  it('starts from a clean, signed log', async () => {
    const report = await verifyText(original);
    expect(report).toMatchObject({ ok: true, anchor: 'found' });
    expect(report.checkpoints).toBeGreaterThanOrEqual(4);
  });

  it('catches any single changed byte at the line that holds it', async () => {
    const size = Buffer.byteLength(original);
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: 255 }), async (pos, byte) => {
      const buf = Buffer.from(original);
      fc.pre(buf[pos] !== byte);
      buf[pos] = byte;
      const report = await verifyText(buf);
      expect(report.ok).toBe(false);
      expect(report.firstBreak?.line).toBe(Math.min(lineOf(pos), lines.length));
    }), { numRuns: 150 });
  });

  it('catches a deleted record where it was, and a deleted last record through the anchor', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: lines.length - 1 }), async (i) => {
      const kept = lines.filter((_, j) => j !== i);
      const report = await verifyText(`${kept.join('\n')}\n`);
      expect(report.firstBreak).toMatchObject({ line: i + 1, reason: i === lines.length - 1 ? 'truncated' : 'deleted' });
    }));
  });

  it('catches two swapped records at the first of them', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: lines.length - 2 }), async (i) => {
      const swapped = [...lines];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1] ?? '', swapped[i] ?? ''];
      const report = await verifyText(`${swapped.join('\n')}\n`);
      expect(report.firstBreak).toMatchObject({ line: i + 1, reason: 'reordered' });
    }));
  });

  it('catches an inserted forged record where it was inserted', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: lines.length - 1 }), fc.string(), async (i, tool) => {
      const forged = JSON.parse(lines[i] ?? '{}') as AuditRecord;
      const line = JSON.stringify({ ...forged, tool_name: `x${tool}`, hash: 'f'.repeat(64) });
      const inserted = [...lines.slice(0, i), line, ...lines.slice(i)];
      const report = await verifyText(`${inserted.join('\n')}\n`);
      expect(report.firstBreak).toMatchObject({ line: i + 1, reason: 'inserted' });
    }));
  });

  it('catches a truncated file: a torn line where the cut is, or a missing tail through the anchor', async () => {
    const size = Buffer.byteLength(original);
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: size - 1 }), async (cut) => {
      const text = Buffer.from(original).subarray(0, cut);
      const report = await verifyText(text);
      const atBoundary = text[cut - 1] === 0x0a;
      expect(report.firstBreak).toMatchObject(atBoundary ? { reason: 'truncated', line: lineOf(cut) } : { reason: 'torn', line: lineOf(cut) });
      if (!atBoundary) expect(report.ok).toBe(false);
    }), { numRuns: 100 });
  });

  it('catches a chain rewritten and re-signed with another key at the first checkpoint', async () => {
    const records = lines.map((l) => JSON.parse(l) as AuditRecord);
    const firstCheckpoint = records.findIndex((r) => r.tool_name === 'rea.audit.checkpoint');
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: records.length - 1 }), async (i) => {
      const edited = records.map((r, j) => (j === i && r.tool_name !== 'rea.audit.checkpoint' ? { ...r, status: 'allowed' as const, tool_name: 'innocent' } : r));
      const report = await verifyText(rewriteChain(edited, generateKeyPairSync('ed25519').privateKey));
      expect(report.firstBreak).toMatchObject({ line: firstCheckpoint + 1, reason: 'bad_signature' });
    }), { numRuns: 20 });
  });
});
