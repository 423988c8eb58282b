/**
 * Signed checkpoints. A hash chain alone proves nothing to someone who can rewrite the whole file;
 * a signature over (seq, head hash, time) by a key the agent cannot read does (THREAT_MODEL.md).
 * The writer appends a checkpoint record signing the record before it, and keeps an anchor file
 * signing the checkpoint record itself, so deleting the tail (checkpoint included) is detectable
 * by anyone holding a copy of the anchor.
 */
import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileDurable } from '../atomic-write.js';
import type { AuditInput } from './record.js';
import { CHECKPOINT_TOOL_NAME, systemEvent } from './events.js';
import { keyId } from './keys.js';

export interface SignedHead {
  readonly seq: number;
  readonly head_hash: string;
  readonly time: string;
  readonly key_id: string;
  /** base64 Ed25519 signature over `signedPayload(seq, head_hash, time)`. */
  readonly signature: string;
}

export interface Anchor extends SignedHead {
  readonly version: 1;
  /** Basename of the log file that held the head when the anchor was written. */
  readonly file: string;
}

/** Domain-separated so a checkpoint signature can never be replayed as anything else. */
function signedPayload(seq: number, headHash: string, time: string): Buffer {
  return Buffer.from(`rea-audit-checkpoint/v1\n${seq}\n${headHash}\n${time}`, 'utf8');
}

export function signHead(key: KeyObject, seq: number, headHash: string, time = new Date().toISOString()): SignedHead {
  const signature = sign(null, signedPayload(seq, headHash, time), key).toString('base64');
  return { seq, head_hash: headHash, time, key_id: keyId(key), signature };
}

export function verifyHead(publicKey: KeyObject, head: SignedHead): boolean {
  try {
    return verify(null, signedPayload(head.seq, head.head_hash, head.time), publicKey, Buffer.from(head.signature, 'base64'));
  } catch {
    // A malformed signature or key is simply not a valid signature.
    return false;
  }
}

export function checkpointInput(head: SignedHead): AuditInput {
  return { ...systemEvent(CHECKPOINT_TOOL_NAME, { checkpoint: head }), timestamp: head.time };
}

export function isSignedHead(value: unknown): value is SignedHead {
  const v = value as Partial<SignedHead> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.seq === 'number' && typeof v.head_hash === 'string' &&
    typeof v.time === 'string' && typeof v.key_id === 'string' && typeof v.signature === 'string'
  );
}

/** Replaces the anchor atomically (write, fsync, rename): a crash leaves the old or the new one. */
export async function writeAnchor(path: string, anchor: Anchor): Promise<void> {
  await writeFileDurable(path, `${JSON.stringify(anchor, null, 2)}\n`, { mode: 0o644 });
}

export async function readAnchor(path: string): Promise<Anchor> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isSignedHead(parsed) || (parsed as Partial<Anchor>).version !== 1) {
    throw new Error(`${path} is not a rea audit anchor (expected version 1 with seq, head_hash, time, key_id, signature)`);
  }
  return parsed as Anchor;
}
