/**
 * What a commit is about to add: the index against HEAD (`git diff --cached`), read as blobs from
 * the object store, never from the work tree (a file edited after `git add` commits what was added).
 */
import { ReaError } from '../errors.js';
import { gitOutput } from './git-command.js';

export interface StagedChange {
  /** Path relative to the top of the work tree, `/`-separated, as git stores it. */
  readonly path: string;
  /** Git's file mode of the staged entry: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  readonly mode: string;
  readonly blob: string;
  /** The blob HEAD holds at this path, when it held a file there (a modification). */
  readonly previousBlob: string | undefined;
}

export const SUBMODULE_MODE = '160000';
const ZERO_SHA = /^0+$/;

/**
 * Added, modified, type-changed and renamed entries; deletions add nothing. A renamed file is
 * compared with what it was renamed from, so moving a file does not re-report what it held.
 */
export function listStagedChanges(top: string): StagedChange[] {
  const raw = gitOutput(top, ['diff', '--cached', '--raw', '-z', '--find-renames', '--no-abbrev', '--no-ext-diff', '--diff-filter=AMTR']).toString('utf8');
  // -z: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0" (a rename: "\0<from>\0<to>\0").
  const fields = raw.split('\0');
  const changes: StagedChange[] = [];
  let i = 0;
  while (i + 1 < fields.length) {
    const [oldMode, mode, oldSha, sha, status = ''] = fields[i]!.replace(/^:/, '').split(' ');
    const paths = status.startsWith('R') ? 2 : 1;
    const path = fields[i + paths]!;
    i += 1 + paths;
    if (mode === undefined || sha === undefined || oldSha === undefined) continue;
    const hadFile = oldMode !== undefined && oldMode !== SUBMODULE_MODE && !ZERO_SHA.test(oldSha);
    changes.push({ path, mode, blob: sha, previousBlob: hadFile ? oldSha : undefined });
  }
  return changes;
}

export type BlobRead = { readonly kind: 'content'; readonly bytes: Buffer } | { readonly kind: 'too_large'; readonly size: number };

/** Read at most this much of the object store per git process, so a huge commit is read in steps. */
const MAX_BATCH_BYTES = 64 * 1024 * 1024;

/** Read blobs by id; a blob over `maxBytes` is reported by size and not read. */
export function readBlobs(top: string, ids: readonly string[], maxBytes: number): Map<string, BlobRead> {
  const unique = [...new Set(ids)];
  const result = new Map<string, BlobRead>();
  if (unique.length === 0) return result;
  const sizes = gitOutput(top, ['cat-file', '--batch-check'], `${unique.join('\n')}\n`).toString('utf8').split('\n');
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = (): void => {
    if (batch.length > 0) for (const [id, bytes] of readBatch(top, batch)) result.set(id, { kind: 'content', bytes });
    batch = [];
    batchBytes = 0;
  };
  unique.forEach((id, i) => {
    const size = Number(sizes[i]?.split(' ')[2] ?? Number.NaN);
    if (!Number.isFinite(size)) throw new ReaError('INTERNAL', `git cat-file could not find staged object ${id}`);
    if (size > maxBytes) {
      result.set(id, { kind: 'too_large', size });
      return;
    }
    if (batchBytes + size > MAX_BATCH_BYTES) flush();
    batch.push(id);
    batchBytes += size;
  });
  flush();
  return result;
}

/** `git cat-file --batch` prints "<id> <type> <size>\n<content>\n" per object. */
function readBatch(top: string, ids: readonly string[]): Map<string, Buffer> {
  const out = gitOutput(top, ['cat-file', '--batch'], `${ids.join('\n')}\n`);
  const blobs = new Map<string, Buffer>();
  let at = 0;
  for (const id of ids) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8').split(' ');
    const size = Number(header[2]);
    if (eol < 0 || !Number.isFinite(size)) throw new ReaError('INTERNAL', `git cat-file --batch gave no content for ${id}`);
    blobs.set(id, out.subarray(eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return blobs;
}
