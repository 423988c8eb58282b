/**
 * The one way rea replaces a file: write a temporary file beside it, then rename it over the old one,
 * so a reader sees the old content or the new, never half of either.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Synchronous, not fsync'd: live state another process polls (pid, serve.state.json, HALT, decisions) and the hooks' caches. */
export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o600): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}

/**
 * Durable too: the content is fsync'd before the rename and, with `syncDir`, the rename itself
 * after it, so a crash or `kill -9` leaves the old file or the new one (checkpoint anchors, export
 * cursors, pins). The parent directory is created if missing; a failed write leaves no temporary file.
 */
export async function writeFileDurable(path: string, content: string, options: { mode?: number; syncDir?: boolean } = {}): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    const fh = await open(tmp, 'w', options.mode ?? 0o600);
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => undefined); // best effort; the write's own error is what matters
    throw error;
  }
  if (options.syncDir) await syncDirectory(dir);
}

/** fsync a directory, so a rename or a new entry in it survives a crash. */
export async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
