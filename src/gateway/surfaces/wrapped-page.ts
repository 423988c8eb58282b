import type { GatewayCore } from './core.js';
import { toWireError } from './to-wire-error.js';
import type { ListMethod } from '../supervision/list-all.js';
import type { CatalogKind, CatalogList } from '../../registry/catalog.js';

const ITEMS: Record<ListMethod, { key: CatalogList; id: string; kind: CatalogKind }> = {
  'tools/list': { key: 'tools', id: 'name', kind: 'tools' },
  'prompts/list': { key: 'prompts', id: 'name', kind: 'prompts' },
  'resources/list': { key: 'resources', id: 'uri', kind: 'resources' },
  'resources/templates/list': { key: 'resourceTemplates', id: 'uriTemplate', kind: 'resources' },
};

/**
 * Wrap mode is transparent down to pagination: the downstream's own page and `nextCursor` go
 * through, but each item on it is the reviewed one (`reviewed`, by name or URI: what the catalog
 * review and the policy let through, as multi mode serves it). A live item that differs from what
 * the server last advertised is a silent change: it is reviewed like a `list_changed`, so a rug
 * pull is withheld and recorded rather than served (THREAT_MODEL.md T14).
 */
export async function wrappedPage(
  core: GatewayCore,
  method: ListMethod,
  params: Record<string, unknown>,
  signal: AbortSignal,
  reviewed: ReadonlyMap<unknown, Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const { key, id, kind } = ITEMS[method];
  const downstream = [...core.downstreams.values()][0];
  if (!downstream || downstream.state !== 'ready') return { [key]: [] };
  let page: Record<string, unknown>;
  try {
    page = await downstream.request(method, params, signal);
  } catch (error) {
    throw toWireError(error, downstream);
  }
  const live = Array.isArray(page[key]) ? (page[key] as unknown[]) : [];
  const items: Record<string, unknown>[] = [];
  let drifted = false;
  for (const item of live) {
    const name = (item as Record<string, unknown> | null)?.[id];
    drifted ||= !downstream.advertises(key, item);
    const known = reviewed.get(name);
    if (known !== undefined) items.push(known);
  }
  if (drifted) downstream.listChanged(kind);
  return { ...core.scrub(page), [key]: items };
}

/** Reviewed items by their id, for `wrappedPage`. */
export function byId(items: readonly Record<string, unknown>[], id: string): Map<unknown, Record<string, unknown>> {
  return new Map(items.map((item) => [item[id], item]));
}
