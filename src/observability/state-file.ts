import { rmSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import type { ServeState } from './serve-state.js';

const DEBOUNCE_MS = 100;

/**
 * `.rea/serve.state.json` for `rea status`: rewritten (debounced) whenever a downstream or
 * breaker changes, removed on shutdown.
 */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => ServeState,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writeNow();
    }, DEBOUNCE_MS);
    this.timer.unref();
  }

  writeNow(): void {
    try {
      writeFileAtomic(this.path, JSON.stringify(this.snapshot(), null, 2) + '\n');
    } catch {
      // Best effort: status is a convenience; the audit log is the record.
    }
  }

  remove(): void {
    clearTimeout(this.timer);
    rmSync(this.path, { force: true });
  }
}
