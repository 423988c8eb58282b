import { renameSync, rmSync, writeFileSync } from 'node:fs';

const DEBOUNCE_MS = 100;

/** Write a file atomically: a reader sees the old content or the new, never half of either. */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}

/**
 * `.rea/serve.state.json` for `rea status`: rewritten (debounced) whenever a downstream or
 * breaker changes, removed on shutdown.
 */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => unknown,
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
