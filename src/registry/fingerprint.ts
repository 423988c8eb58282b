/**
 * Fingerprints for trust on first use (THREAT_MODEL.md, registry tampering and rug pulls).
 * Launch config: rea 0.4's canonical form (name, command, args, sorted env KEY set — values are
 * secrets that rotate —, sorted passthrough names, sorted tier overrides), JSON, SHA-256 hex, so
 * pins written by rea 0.4 still match. Advertised items: every field the model reads or that shapes
 * a call (name, title, description, schemas, annotations), as canonical JSON (sorted keys) → SHA-256.
 */
import { sha256Hex } from '../sha256.js';

export interface LaunchSpec {
  readonly name: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly env_passthrough?: readonly string[];
  readonly tier_overrides?: Readonly<Record<string, string>>;
}

export type ItemKind = 'tool' | 'prompt' | 'resource_template' | 'instructions';

export function fingerprintLaunch(spec: LaunchSpec): string {
  const byKey = (a: [string, string], b: [string, string]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const canonical = {
    name: spec.name,
    command: spec.command,
    args: [...(spec.args ?? [])],
    env_keys: Object.keys(spec.env ?? {}).sort(),
    env_passthrough: [...(spec.env_passthrough ?? [])].sort(),
    tier_overrides: Object.entries(spec.tier_overrides ?? {}).map(([k, v]): [string, string] => [k, String(v)]).sort(byKey),
  };
  return sha256Hex(JSON.stringify(canonical));
}

/** JSON with object keys sorted at every level, so equal content always hashes equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

type PinnedKind = Exclude<ItemKind, 'instructions'>;

/** The fields pinned up to rea 0.5.0: a pin over exactly these may be re-pinned once with `ADDED`. */
const LEGACY_FIELDS: Record<PinnedKind, readonly string[]> = {
  tool: ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'],
  prompt: ['name', 'title', 'description', 'arguments'],
  resource_template: ['name', 'title', 'uriTemplate', 'description', 'mimeType', 'annotations'],
};
/**
 * Fields pinned since: what a client shows (`icons`) or acts on (`_meta`, such as an MCP Apps UI
 * resource; a tool's `execution`) changes what a call does as much as a description (review finding 13).
 */
const ADDED_FIELDS: Record<PinnedKind, readonly string[]> = {
  tool: ['_meta', 'icons', 'execution'],
  prompt: ['_meta', 'icons'],
  resource_template: ['_meta', 'icons'],
};
const FIELDS: Record<PinnedKind, readonly string[]> = {
  tool: [...LEGACY_FIELDS.tool, ...ADDED_FIELDS.tool],
  prompt: [...LEGACY_FIELDS.prompt, ...ADDED_FIELDS.prompt],
  resource_template: [...LEGACY_FIELDS.resource_template, ...ADDED_FIELDS.resource_template],
};

function pick(fields: readonly string[], item: unknown): unknown {
  const source = (item ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) if (source[field] !== undefined) out[field] = source[field];
  return sortKeys(out);
}

/** The part of an advertised item that is pinned (and shown by `rea tofu diff`). */
export function itemSnapshot(kind: ItemKind, item: unknown): unknown {
  if (kind === 'instructions') return typeof item === 'string' ? item : null;
  return pick(FIELDS[kind], item);
}

export function fingerprintItem(kind: ItemKind, item: unknown): string {
  return sha256Hex(canonicalJson(itemSnapshot(kind, item)));
}

/**
 * Whether a pin made before `ADDED_FIELDS` were pinned still holds for `item`: its snapshot has none
 * of them and everything it did pin is unchanged. Such a pin is re-pinned, not withheld, so an
 * upgrade does not hold back every tool that carries `_meta` or `icons`.
 */
export function isLegacyPinOf(kind: ItemKind, pin: { sha256: string; snapshot?: unknown }, item: unknown): boolean {
  if (kind === 'instructions') return false;
  const snapshot = (pin.snapshot ?? {}) as Record<string, unknown>;
  if (ADDED_FIELDS[kind].some((field) => field in snapshot)) return false;
  return pin.sha256 === sha256Hex(canonicalJson(pick(LEGACY_FIELDS[kind], item)));
}
