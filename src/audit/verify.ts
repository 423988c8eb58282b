/**
 * `verify`: walks the current log and, on request, every rotated file before it, streaming in
 * constant memory. Reports the first break (file, line, record number, reason), every
 * unparseable line, and with a public key checks signed checkpoints and the anchor.
 */
import type { KeyObject } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuditRecord } from './record.js';
import { sha256Hex } from './record.js';
import { readRawLines } from './line-reader.js';
import { analyzeLine, seqOf } from './line-analyze.js';
import { ChainWalker } from './chain-walker.js';
import type { ChainBreak, Location, StartRule } from './chain-walker.js';
import type { Anchor } from './checkpoint.js';
import { verifyHead } from './checkpoint.js';
import { keyId } from './keys.js';
import { listRotated } from './rotation.js';

export type { BreakReason, ChainBreak, Location } from './chain-walker.js';

export interface VerifyOptions {
  /** Files in chain order (oldest first). */
  readonly files: readonly string[];
  readonly startRule?: StartRule;
  readonly publicKey?: KeyObject;
  /** Latest signed head; requires `publicKey`. */
  readonly anchor?: Anchor;
  /**
   * Skip a line identical to one already walked: a collector's copy of the chain holds each record
   * at least once (issue 13), and a resent record carries the same bytes and hash.
   */
  readonly dropDuplicates?: boolean;
}

export type AnchorStatus = 'found' | 'not_covered' | 'truncated' | 'rewritten' | 'bad_signature';

export interface VerifyReport {
  readonly ok: boolean;
  readonly files: readonly { file: string; records: number; bytes: number }[];
  readonly records: number;
  readonly bytes: number;
  readonly firstBreak?: ChainBreak;
  readonly breaks: number;
  readonly unparseable: readonly (Location & { detail: string })[];
  readonly checkpoints: number;
  /** Records after the last verified checkpoint (not covered by a signature yet). */
  readonly unsignedTail?: number;
  readonly anchor?: AnchorStatus;
  readonly headSeq?: number;
  readonly headHash?: string;
  /** Identical lines skipped (with `dropDuplicates`). */
  readonly duplicates?: number;
}

export async function verifyChain(options: VerifyOptions): Promise<VerifyReport> {
  const walker = new ChainWalker(options.startRule ?? 'genesis-or-marker', options.publicKey);
  const anchor = options.anchor;
  let anchorStatus: AnchorStatus | undefined;
  if (anchor !== undefined) {
    const valid = options.publicKey !== undefined && anchor.key_id === keyId(options.publicKey) && verifyHead(options.publicKey, anchor);
    if (!valid) anchorStatus = 'bad_signature';
  }
  const files: { file: string; records: number; bytes: number }[] = [];
  let record = 0;
  let last: { buf: Buffer; start: number; end: number } | undefined;
  let headHash: string | undefined;
  let anchorAt: Location | undefined;
  let end: Location = { file: basename(options.files[0] ?? ''), line: 1, record: 1 };
  const seen = options.dropDuplicates === true ? new Set<string>() : undefined;
  let duplicates = 0;
  for (const path of options.files) {
    const file = basename(path);
    let line = 0;
    let records = 0;
    for await (const raw of readRawLines(path)) {
      line += 1;
      if (seen !== undefined) {
        const key = sha256Hex(raw.buf.subarray(raw.start, raw.end));
        if (seen.has(key)) {
          duplicates += 1;
          continue;
        }
        seen.add(key);
      }
      record += 1;
      records += 1;
      const at = { file, line, record };
      const info = analyzeLine(raw.buf, raw.start, raw.end, walker.needsRecord);
      walker.onLine(info, at, raw.terminated, () => analyzeLine(raw.buf, raw.start, raw.end, true));
      if (info.kind !== 'unparseable') {
        last = raw;
        headHash = info.hash;
        if (anchor !== undefined && info.hash === anchor.head_hash) anchorAt = at;
      }
    }
    files.push({ file, records, bytes: (await stat(path)).size });
    end = { file, line: line + 1, record: record + 1 };
  }
  const lastRecord = last === undefined ? undefined : (JSON.parse(last.buf.toString('utf8', last.start, last.end)) as AuditRecord);
  walker.finish(lastRecord, end);
  if (anchor !== undefined && anchorStatus === undefined) anchorStatus = placeAnchor(anchor, anchorAt, walker, end);
  else if (anchorStatus === 'bad_signature') {
    walker.addBreak({ ...end, reason: 'bad_signature', detail: `the anchor's signature does not verify with the given public key (anchor key ${anchor?.key_id})` });
  }
  const headSeq = seqOf(lastRecord);
  const report: VerifyReport = {
    ok: walker.firstBreak === undefined && walker.unparseable.length === 0,
    files,
    records: record,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    ...(walker.firstBreak === undefined ? {} : { firstBreak: walker.firstBreak }),
    breaks: walker.breaks,
    unparseable: walker.unparseable,
    checkpoints: walker.checkpointsVerified,
    ...(options.publicKey === undefined || headSeq === undefined ? {} : { unsignedTail: headSeq - (walker.lastSignedSeq ?? (walker.firstSeq ?? 0) - 1) }),
    ...(anchorStatus === undefined ? {} : { anchor: anchorStatus }),
    ...(headSeq === undefined ? {} : { headSeq }),
    ...(headHash === undefined ? {} : { headHash }),
    ...(seen === undefined ? {} : { duplicates }),
  };
  return report;
}

function placeAnchor(anchor: Anchor, anchorAt: Location | undefined, walker: ChainWalker, end: Location): AnchorStatus {
  if (anchorAt !== undefined) return 'found';
  if (walker.firstSeq !== undefined && anchor.seq < walker.firstSeq) return 'not_covered';
  const head = walker.headSeq ?? -1;
  if (head < anchor.seq) {
    walker.addBreak({ ...end, reason: 'truncated', detail: `the anchor signs seq ${anchor.seq} but the log ends at seq ${head}: records were removed from the end` });
    return 'truncated';
  }
  walker.addBreak({ ...end, reason: 'rewritten', detail: `the anchor signs seq ${anchor.seq} head ${anchor.head_hash.slice(0, 12)}…, which is not in the log: the chain was rewritten` });
  return 'rewritten';
}

/** The files `verify` walks: the current log, after every rotated file (`all`) or those from `since` on. */
export async function chainFiles(auditPath: string, scope: { all?: boolean; since?: string } = {}): Promise<{ files: string[]; startRule: StartRule }> {
  const dir = dirname(auditPath);
  const rotated = scope.all === true || scope.since !== undefined ? await listRotated(dir) : [];
  let chosen = rotated;
  let startRule: StartRule = scope.all === true ? 'genesis-or-retention' : 'genesis-or-marker';
  if (scope.since !== undefined && scope.all !== true) {
    const from = rotated.indexOf(basename(scope.since));
    if (from === -1) throw new Error(`--since: no rotated audit file named ${basename(scope.since)} in ${dir}`);
    chosen = rotated.slice(from);
    startRule = from === 0 ? 'genesis-or-retention' : 'any';
  }
  const files = chosen.map((name) => join(dir, name));
  try {
    await stat(auditPath);
    files.push(auditPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { files, startRule };
}
