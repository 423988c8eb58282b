/**
 * Scanning what servers advertise before the agent sees it (THREAT_MODEL.md, tool poisoning): tool,
 * prompt and resource descriptions (including parameter descriptions inside schemas) and the
 * server's `instructions`. A flagged item is quarantined (hidden from the list, reason recorded) or
 * kept with a warning, per policy surface `description`.
 */
import type { Tier } from '../policy/levels.js';
import type { InjectionFamily } from './patterns/injection.js';
import type { InjectionVerdict } from './injection-classifier.js';
import type { ScanOptions } from './scan-options.js';
import { textOf } from './text-of.js';

export type CatalogKind = 'tool' | 'prompt' | 'resource' | 'instructions';

export interface CatalogScan {
  readonly verdict: InjectionVerdict;
  readonly families: InjectionFamily[];
  readonly score: number;
}

export type CatalogDecision =
  | { readonly action: 'allow' }
  | { readonly action: 'warn'; readonly reason: string }
  | { readonly action: 'quarantine'; readonly reason: string };

/** Classify one advertised item: every string it carries except binary payloads. */
export function scanCatalogItem(options: Pick<ScanOptions, 'classify'>, kind: CatalogKind, item: unknown): CatalogScan {
  const text = kind === 'instructions' && typeof item === 'string' ? item : textOf(item);
  // A server's `instructions` are addressed to the model by design; descriptions should only describe.
  return options.classify(text, kind === 'instructions' ? 'instructions' : 'description');
}

/**
 * What to do with an item: `quarantine` hides it (a `block` in policy means the same for a
 * description), `warn` keeps it. `tier` is the item's governance tier (tools), `read` otherwise.
 */
export function decideCatalogItem(options: Pick<ScanOptions, 'actionFor'>, kind: CatalogKind, name: string, scan: CatalogScan, tier: Tier = 'read'): CatalogDecision {
  if (scan.verdict === 'clean') return { action: 'allow' };
  const action = options.actionFor('description', tier, scan.verdict);
  const reason = `${kind} ${JSON.stringify(name)} ${kind === 'instructions' ? '' : 'description '}flagged ${scan.verdict} (${scan.families.join(', ')}; score ${scan.score})`;
  return action === 'warn' ? { action: 'warn', reason } : { action: 'quarantine', reason };
}
