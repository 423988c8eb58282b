import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { AnyResultSchema } from '../transport/wire-schemas.js';
import type { Catalog } from '../../registry/catalog.js';

/** Upper bound on pages, so a server that returns a cursor forever cannot loop us. */
const MAX_PAGES = 200;

export type ListMethod = 'tools/list' | 'prompts/list' | 'resources/list' | 'resources/templates/list';
const ITEMS_KEY: Record<ListMethod, string> = {
  'tools/list': 'tools',
  'prompts/list': 'prompts',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
};

/** Fetch every page of a list, following `nextCursor`. Items are kept exactly as sent. */
export async function listAll(client: Client, method: ListMethod, timeoutMs: number): Promise<Record<string, unknown>[]> {
  const key = ITEMS_KEY[method];
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await client.request({ method, params: cursor === undefined ? {} : { cursor } }, AnyResultSchema, {
      timeout: timeoutMs,
    });
    const pageItems = result[key];
    if (Array.isArray(pageItems)) items.push(...(pageItems as Record<string, unknown>[]));
    cursor = typeof result['nextCursor'] === 'string' ? result['nextCursor'] : undefined;
    if (cursor === undefined) break;
  }
  return items;
}

/** Everything a server advertises, fetched in parallel right after initialize. */
export async function fetchCatalog(client: Client, timeoutMs: number): Promise<Catalog> {
  const capabilities = client.getServerCapabilities() ?? {};
  const [tools, prompts, resources, resourceTemplates] = await Promise.all([
    capabilities.tools ? listAll(client, 'tools/list', timeoutMs) : [],
    capabilities.prompts ? listAll(client, 'prompts/list', timeoutMs) : [],
    capabilities.resources ? listAll(client, 'resources/list', timeoutMs) : [],
    // Templates are optional even for servers with resources: a server without them may error.
    capabilities.resources ? listAll(client, 'resources/templates/list', timeoutMs).catch(() => []) : [],
  ]);
  return {
    tools, prompts, resources, resourceTemplates, capabilities,
    instructions: client.getInstructions(),
    serverInfo: client.getServerVersion() as Record<string, unknown> | undefined,
  };
}
