/**
 * The rotation step of a locked write round: decides whether the file is due (size, age, or an
 * operator's `rea audit rotate`), renames it aside, starts the new file with a marker that chains
 * to the old one, and prunes rotated files beyond `retain`.
 */
import { dirname, join } from 'node:path';
import { createLogger } from '../observability/logger.js';
import type { AuditInput } from './record.js';
import { encodeLines } from './record.js';
import type { LogFile } from './log-file.js';
import { isRotationDue, oldestRotatedStart, pruneRotated, rotationMarker } from './rotation.js';
import type { RotationOptions, RotationResult } from './rotation.js';
import { RETENTION_TOOL_NAME, systemEvent } from './events.js';
import type { ChainedLines } from './chain-lines.js';

const log = createLogger('audit');

export class LogRotator {
  /** Resolver of a pending `rotateNow()`; answered by the next locked round. */
  private forced: ((result: RotationResult) => void) | undefined;

  constructor(
    private readonly file: LogFile,
    private readonly onRotated: () => void,
  ) {}

  request(resolve: (result: RotationResult) => void): void {
    this.forced = resolve;
  }

  cancel(): void {
    this.forced = undefined;
  }

  /**
   * Under the lock. `notes` are recovery records for this round: written to the old file before
   * it is renamed, and a retention record is added to them when files were pruned.
   */
  async rotateIfDue(rotation: RotationOptions | undefined, notes: AuditInput[], chain: (inputs: readonly AuditInput[]) => ChainedLines): Promise<void> {
    const forced = this.forced;
    const tail = this.file.tail;
    if (tail === undefined) return;
    const now = new Date();
    const firstMs = rotation?.maxAgeDays === undefined || tail.size === 0 ? undefined : await this.file.firstRecordTime();
    const due = forced !== undefined ? tail.size > 0 : isRotationDue(tail.size, firstMs, rotation, now.getTime());
    if (!due) {
      if (forced !== undefined) {
        this.forced = undefined;
        forced({ rotated: false });
      }
      return;
    }
    this.forced = undefined;
    const dir = dirname(this.file.path);
    if (notes.length > 0) {
      // Recovery records describe the old file: write them there before it is renamed.
      await this.write(chain(notes));
      notes.length = 0;
    }
    const rotatedName = await this.file.rotate(now);
    await this.write(chain([rotationMarker(rotatedName, now)]));
    this.onRotated();
    const pruned = await pruneRotated(dir, rotation?.retain);
    if (pruned.length > 0) {
      // Names the hash the oldest kept file starts from, so `verify --all` can tell pruning from deletion.
      const oldest = await oldestRotatedStart(dir);
      notes.push(systemEvent(RETENTION_TOOL_NAME, { pruned, retain: rotation?.retain, oldest_kept: oldest?.name ?? rotatedName, oldest_kept_prev_hash: oldest?.prevHash ?? null }));
    }
    log.info('audit log rotated', { path: this.file.path, rotatedTo: rotatedName, pruned });
    const rotatedTo = join(dir, rotatedName);
    forced?.(pruned.length > 0 ? { rotated: true, rotatedTo, pruned } : { rotated: true, rotatedTo });
  }

  private write(chained: ChainedLines): Promise<void> {
    return this.file.writeLines(encodeLines(chained.built), chained.hash, chained.seq, true);
  }
}
