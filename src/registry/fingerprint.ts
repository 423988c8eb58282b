/**
 * Fingerprints for trust on first use (THREAT_MODEL.md, registry tampering and rug pulls).
 * Launch config: rea 0.4's canonical form (name, command, args, sorted env KEY set — values are
 * secrets that rotate —, sorted passthrough names, sorted tier overrides), JSON, SHA-256 hex, so
 * pins written by rea 0.4 still match. Advertised items: every field the model reads or that shapes
 * a call (name, title, description, schemas, annotations), as canonical JSON (sorted keys) → SHA-256.
 */
import { createHash } from 'node:crypto';

export interface LaunchSpec {
  readonly name: string;
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly env_passthrough?: readonly string[];
  readonly tier_overrides?: Readonly<Record<string, string>>;
}

export type ItemKind = 'tool' | 'prompt' | 'resource_template' | 'instructions';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

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

const FIELDS: Record<Exclude<ItemKind, 'instructions'>, readonly string[]> = {
  tool: ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'],
  prompt: ['name', 'title', 'description', 'arguments'],
  resource_template: ['name', 'title', 'uriTemplate', 'description', 'mimeType', 'annotations'],
};

/** The part of an advertised item that is pinned (and shown by `rea tofu diff`). */
export function itemSnapshot(kind: ItemKind, item: unknown): unknown {
  if (kind === 'instructions') return typeof item === 'string' ? item : null;
  const source = (item ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of FIELDS[kind]) if (source[field] !== undefined) out[field] = source[field];
  return sortKeys(out);
}

export function fingerprintItem(kind: ItemKind, item: unknown): string {
  return sha256Hex(canonicalJson(itemSnapshot(kind, item)));
}
