/**
 * `.rea/fingerprints.json`: rea 0.4's `{ version: "1", servers: { <name>: <launch sha256> } }`,
 * extended with `catalog`: per server, the pinned fingerprint and snapshot of each tool, prompt,
 * resource template and the instructions, plus changes seen but not yet accepted (`pending`).
 * Corrupt files are refused, never reset (a reset would turn a rug pull into a first sight).
 * Writes are atomic (tmp + rename) under a lock, because the CLI edits the file while the gateway runs.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { writeFileDurable } from '../atomic-write.js';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

const Hex = z.string().regex(/^[a-f0-9]{64}$/, 'must be a lowercase hex sha256');

const PinSchema = z.object({ sha256: Hex, snapshot: z.unknown(), pinned_at: z.string(), reason: z.string().optional() });
const PendingSchema = z.object({
  kind: z.enum(['tool', 'prompt', 'resource_template', 'instructions', 'launch']),
  name: z.string(),
  sha256: Hex,
  snapshot: z.unknown(),
  seen_at: z.string(),
  reason: z.enum(['changed', 'new-after-pin']),
});
const ServerCatalogSchema = z.object({
  pinned_at: z.string(),
  tools: z.record(z.string(), PinSchema).default({}),
  prompts: z.record(z.string(), PinSchema).default({}),
  resource_templates: z.record(z.string(), PinSchema).default({}),
  instructions: PinSchema.optional(),
  /** Keyed `<kind>:<name>`. */
  pending: z.record(z.string(), PendingSchema).default({}),
});
const FingerprintFileSchema = z.object({
  version: z.literal('1'),
  servers: z.record(z.string(), Hex),
  catalog: z.record(z.string(), ServerCatalogSchema).optional(),
});

export type Pin = z.infer<typeof PinSchema>;
export type PendingChange = z.infer<typeof PendingSchema>;
export type ServerCatalog = z.infer<typeof ServerCatalogSchema>;
export type FingerprintFile = z.infer<typeof FingerprintFileSchema>;

function emptyStore(): FingerprintFile {
  return { version: '1', servers: {}, catalog: {} };
}

export async function loadStore(path: string): Promise<FingerprintFile> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyStore();
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(path, undefined, '', `is not valid JSON (${(error as Error).message}); delete it deliberately to re-pin every server`, { cause: error });
  }
  const result = FingerprintFileSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(path, undefined, issue?.path.join('.') ?? '', `${issue?.message ?? 'is invalid'}; delete the file deliberately to re-pin every server`);
  }
  return { ...result.data, catalog: result.data.catalog ?? {} };
}

async function saveStore(path: string, store: FingerprintFile): Promise<void> {
  await writeFileDurable(path, JSON.stringify(FingerprintFileSchema.parse(store), null, 2) + '\n', { mode: 0o644 });
}

/** Read-modify-write under a lock on the store file (its own `.lock` sidecar, not the audit lock). */
export async function updateStore<T>(path: string, mutate: (store: FingerprintFile) => T): Promise<T> {
  await mkdir(dirname(path), { recursive: true });
  const release = await lockfile.lock(path, { realpath: false, stale: 5_000, retries: { retries: 40, factor: 1.3, minTimeout: 10, maxTimeout: 200 } });
  try {
    const store = await loadStore(path);
    const result = mutate(store);
    await saveStore(path, store);
    return result;
  } finally {
    await release();
  }
}
