/**
 * Settings and statistics of the audit log writer, kept apart from the writer so callers that only
 * configure or report on the log (gateway wiring, `rea audit` commands) need not read its internals.
 */
import type { KeyObject } from 'node:crypto';
import type { RotationOptions } from './rotation.js';
import type { AuditInput, AuditRecord } from './record.js';

/** Told of what the writer does; it must not throw or block (it runs under the append lock). */
export interface AuditObserver {
  /** A batch reached the file; `writeMs` covers the write and, when durable, the fdatasync. */
  appended(records: readonly AuditRecord[], writeMs: number): void;
  failed(message: string): void;
}

export interface CheckpointOptions {
  /** Ed25519 private key (see `rea audit keygen`); checkpoints are off without one. */
  readonly key: KeyObject;
  /** Sign after this many records (default 1000). */
  readonly everyRecords?: number;
  /** Sign at least this often while records arrive (default 60 s). */
  readonly everyMs?: number;
  /** Where the latest signed head is written (default `<dir>/audit.anchor.json`). */
  readonly anchorPath?: string;
}

export interface AuditLogOptions {
  /** session_id for records that do not name one. */
  readonly sessionId: string;
  /** `durable` (default): an append resolves only after fdatasync. `relaxed`: after write(). */
  readonly durability?: 'durable' | 'relaxed';
  /** What callers should do when a record cannot be written (read by the chain stage). */
  readonly onFailure?: 'deny' | 'allow';
  /** Upper bound for one append, lock wait included (default 2000 ms). */
  readonly writeTimeoutMs?: number;
  readonly rotation?: RotationOptions;
  readonly checkpoint?: CheckpointOptions;
  /** Lock age after which another process's lock is treated as abandoned (default 10 s, as rea 0.4). */
  readonly lockStaleMs?: number;
  /**
   * Applied to every record before it is hashed and written: the gateway installs its redactor, so
   * nothing it records holds a secret, whoever built the record (THREAT_MODEL.md T12).
   */
  readonly scrub?: (input: AuditInput) => AuditInput;
}

export interface AuditStats {
  readonly path: string;
  readonly appended: number;
  readonly failures: number;
  /** Failures not yet recorded in the chain. */
  readonly pendingFailureNotes: number;
  readonly batches: number;
  readonly rotations: number;
  readonly recoveries: number;
  readonly checkpoints: number;
  readonly lastError?: string;
  readonly lastErrorAt?: string;
  readonly headSeq: number;
  readonly headHash?: string;
}
