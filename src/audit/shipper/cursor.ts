/**
 * The durable cursor of an audit export: the last record a collector acknowledged, per endpoint,
 * in `.rea/ship/<digest of the URL>.json`. It moves only after an acknowledgement and is written
 * atomically and fsync'd, so a crash or `kill -9` can only make records be sent again, never skipped.
 */
import { sha256Hex } from '../../sha256.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../../errors.js';
import { writeFileDurable } from '../../atomic-write.js';

const CursorSchema = z
  .object({
    version: z.literal(1),
    endpoint: z.string(),
    seq: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    updated_at: z.string(),
  })
  .strict();

export type ShipCursor = z.infer<typeof CursorSchema>;

export interface CursorRead {
  readonly cursor: ShipCursor | undefined;
  /** Why an existing cursor file was not used; shipping then starts from the oldest record. */
  readonly problem?: string;
}

export function cursorPath(reaDir: string, endpoint: string): string {
  return join(reaDir, 'ship', `${sha256Hex(endpoint).slice(0, 16)}.json`);
}

export async function readCursor(path: string, endpoint: string): Promise<CursorRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { cursor: undefined };
    return { cursor: undefined, problem: `cannot read the export cursor ${path} (${errorMessage(error)}); shipping from the oldest record` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { cursor: undefined, problem: `the export cursor ${path} is not JSON; shipping again from the oldest record (the collector drops duplicates by hash)` };
  }
  const result = CursorSchema.safeParse(parsed);
  if (!result.success) return { cursor: undefined, problem: `the export cursor ${path} is malformed; shipping again from the oldest record` };
  if (result.data.endpoint !== endpoint) return { cursor: undefined, problem: `the export cursor ${path} belongs to ${result.data.endpoint}; shipping from the oldest record` };
  return { cursor: result.data };
}

/** Atomic and durable: a reader (or a restart after a crash) sees the old cursor or the new one. */
export async function writeCursor(path: string, cursor: ShipCursor): Promise<void> {
  await writeFileDurable(path, `${JSON.stringify(cursor)}\n`, { syncDir: true });
}
