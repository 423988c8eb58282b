/**
 * When the writer signs its head: after `everyRecords` records, or once `everyMs` has passed with
 * unsigned records. A timer covers the log that goes quiet with records still unsigned. After each
 * signature the anchor file is rewritten so truncation of the log can be detected.
 */
import { basename, dirname, join } from 'node:path';
import { errorMessage } from '../errors.js';
import { createLogger } from '../observability/logger.js';
import { signHead, writeAnchor } from './checkpoint.js';
import { keyId } from './keys.js';
import type { CheckpointOptions } from './log-options.js';

const log = createLogger('audit');
const DEFAULT_EVERY_RECORDS = 1000;
const DEFAULT_EVERY_MS = 60_000;

export class CheckpointSchedule {
  private lastSeq = -1;
  private lastAt = Date.now();
  private timer: NodeJS.Timeout | undefined;

  /** Due after `everyRecords` records or `everyMs` with unsigned records; `anyUnsigned` forces it. */
  isDue(cp: CheckpointOptions | undefined, headSeq: number, anyUnsigned = false): boolean {
    if (cp === undefined || headSeq <= this.lastSeq) return false;
    if (anyUnsigned || headSeq - this.lastSeq >= (cp.everyRecords ?? DEFAULT_EVERY_RECORDS)) return true;
    return Date.now() - this.lastAt >= (cp.everyMs ?? DEFAULT_EVERY_MS);
  }

  /** The timer's test: records are unsigned and `everyMs` has passed since the last signature. */
  isQuietDue(cp: CheckpointOptions, headSeq: number): boolean {
    if (headSeq <= this.lastSeq) return false;
    return Date.now() - this.lastAt >= (cp.everyMs ?? DEFAULT_EVERY_MS);
  }

  /** Notes a checkpoint record written at `head` and writes the anchor next to the log. */
  async signed(cp: CheckpointOptions, head: { hash: string; seq: number }, logPath: string): Promise<void> {
    this.lastSeq = head.seq;
    this.lastAt = Date.now();
    const anchorPath = cp.anchorPath ?? join(dirname(logPath), 'audit.anchor.json');
    const signature = signHead(cp.key, head.seq, head.hash);
    try {
      await writeAnchor(anchorPath, { version: 1, ...signature, file: basename(logPath) });
    } catch (error) {
      // The checkpoint record itself is in the chain; a missing anchor only weakens truncation
      // detection, so it is reported rather than failing the callers' appends.
      log.error('audit anchor write failed', { anchorPath, keyId: keyId(cp.key), error: errorMessage(error) });
    }
  }

  /** (Re)starts the quiet-log timer for `cp` (stops it when undefined); `tick` decides and signs. */
  arm(cp: CheckpointOptions | undefined, tick: (cp: CheckpointOptions) => void): void {
    this.stop();
    if (cp === undefined) return;
    this.timer = setInterval(() => tick(cp), Math.max(1000, Math.floor((cp.everyMs ?? DEFAULT_EVERY_MS) / 2)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
