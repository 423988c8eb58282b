import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { sha256Hex } from '../sha256.js';

/**
 * The files `rea init` changes, and how to put them back. Before a file is first changed its
 * original bytes (or its absence) are kept in `.rea/init-backup.json`; `rea init --undo` puts
 * back every file still exactly as init left it, and takes rea's parts out of one a user has
 * edited since.
 */
export interface BackupEntry {
  /** The file's bytes before rea first changed it (base64), or null when it did not exist. */
  readonly original: string | null;
  readonly mode: number | null;
  /** sha256 of what rea last wrote. */
  written: string;
}

export type Backup = Record<string, BackupEntry>;

export function readBackup(file: string): Backup {
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Backup;
}

export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A JSON file of the user's: parsed, or a clear error naming it (the file is left as it is). */
export function readJsonObject(file: string, label: string): Record<string, unknown> | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${label} is not valid JSON (${(error as Error).message}); fix it or move it aside, then run rea init again. It was not changed.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${label} does not hold a JSON object; it was not changed.`);
  return value as Record<string, unknown>;
}

/** Write `content` to `file` unless it already holds exactly that; remember the original first. */
export function writeTracked(file: string, content: string, backup: Backup): boolean {
  const current = readText(file);
  if (current === content) return false;
  if (!(file in backup)) {
    backup[file] = { original: current === undefined ? null : Buffer.from(current).toString('base64'), mode: current === undefined ? null : statSync(file).mode & 0o777, written: '' };
  }
  mkdirSync(dirname(file), { recursive: true });
  const mode = existsSync(file) ? statSync(file).mode & 0o777 : 0o644;
  writeFileAtomic(file, content, mode);
  backup[file]!.written = sha256Hex(content);
  return true;
}

/** Put a file back as it was before rea, when it is still what rea wrote. Returns what happened. */
export function restoreTracked(file: string, entry: BackupEntry): 'restored' | 'removed' | 'edited' {
  const current = readText(file);
  if (current !== undefined && sha256Hex(current) !== entry.written) return 'edited';
  if (entry.original === null) {
    rmSync(file, { force: true });
    return 'removed';
  }
  writeFileAtomic(file, Buffer.from(entry.original, 'base64').toString(), entry.mode ?? 0o644);
  return 'restored';
}

export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
