/**
 * Operator decisions on pending TOFU changes (`rea tofu accept`): move what the gateway saw into the
 * pins, with the operator's reason. Pure functions over the store; the CLI does the locked update.
 */
import type { FingerprintFile, PendingChange, Pin } from './tofu-store.js';

export interface AcceptFilter {
  readonly tool?: string;
  readonly prompt?: string;
}

export interface Accepted {
  readonly kind: PendingChange['kind'];
  readonly name: string;
  readonly sha256: string;
  readonly reason: PendingChange['reason'];
}

export function pendingFor(store: FingerprintFile, server: string): PendingChange[] {
  return Object.values(store.catalog?.[server]?.pending ?? {});
}

/** Accept pending changes of `server` (all, or the one tool/prompt named); returns what was accepted. */
export function acceptPending(store: FingerprintFile, server: string, filter: AcceptFilter, reason: string, now: string): Accepted[] {
  const entry = store.catalog?.[server];
  if (entry === undefined) return [];
  const accepted: Accepted[] = [];
  for (const [key, change] of Object.entries(entry.pending)) {
    if (filter.tool !== undefined && !(change.kind === 'tool' && change.name === filter.tool)) continue;
    if (filter.prompt !== undefined && !(change.kind === 'prompt' && change.name === filter.prompt)) continue;
    const pin: Pin = { sha256: change.sha256, snapshot: change.snapshot, pinned_at: now, reason };
    switch (change.kind) {
      case 'launch':
        store.servers[server] = change.sha256;
        break;
      case 'tool':
        entry.tools[change.name] = pin;
        break;
      case 'prompt':
        entry.prompts[change.name] = pin;
        break;
      case 'resource_template':
        entry.resource_templates[change.name] = pin;
        break;
      case 'instructions':
        entry.instructions = pin;
        break;
      default: {
        const never: never = change.kind;
        throw new Error(`unknown pending kind ${String(never)}`);
      }
    }
    delete entry.pending[key];
    accepted.push({ kind: change.kind, name: change.name, sha256: change.sha256, reason: change.reason });
  }
  return accepted;
}

/** Top-level fields whose values differ between the pinned and the pending snapshot. */
export function diffSnapshots(pinned: unknown, now: unknown): { field: string; before: unknown; after: unknown }[] {
  if (typeof pinned !== 'object' || pinned === null || typeof now !== 'object' || now === null) {
    return JSON.stringify(pinned) === JSON.stringify(now) ? [] : [{ field: '(value)', before: pinned, after: now }];
  }
  const a = pinned as Record<string, unknown>;
  const b = now as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return fields.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])).map((field) => ({ field, before: a[field], after: b[field] }));
}
