import type { GatewayCore } from './core.js';
import { toWireError } from './to-wire-error.js';
import type { ListMethod } from './list-all.js';

const ITEMS: Record<ListMethod, { key: string; id: string }> = {
  'tools/list': { key: 'tools', id: 'name' },
  'prompts/list': { key: 'prompts', id: 'name' },
  'resources/list': { key: 'resources', id: 'uri' },
  'resources/templates/list': { key: 'resourceTemplates', id: 'uriTemplate' },
};

/**
 * Wrap mode is transparent down to pagination: the downstream's own page and `nextCursor` go
 * through, keeping only the items the agent may see (`visible`, by name or URI: what the catalog
 * review and the policy let through).
 */
export async function wrappedPage(
  core: GatewayCore,
  method: ListMethod,
  params: Record<string, unknown>,
  signal: AbortSignal,
  visible: ReadonlySet<unknown>,
): Promise<Record<string, unknown>> {
  const { key, id } = ITEMS[method];
  const downstream = [...core.downstreams.values()][0];
  if (!downstream || downstream.state !== 'ready') return { [key]: [] };
  let page: Record<string, unknown>;
  try {
    page = await downstream.request(method, params, signal);
  } catch (error) {
    throw toWireError(error, downstream);
  }
  const items = Array.isArray(page[key]) ? (page[key] as Record<string, unknown>[]) : [];
  return { ...page, [key]: items.filter((item) => visible.has(item[id])) };
}
