/**
 * What a downstream server advertises, as rea holds it: one definition for the supervisor that
 * fetches it, the TOFU gate that pins it and the reviewer that filters it before the agent sees it.
 */
import type { ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';

export type CatalogKind = 'tools' | 'prompts' | 'resources';
/** One list of a catalog, as the catalog holds it. */
export type CatalogList = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';

export interface Catalog {
  tools: Record<string, unknown>[];
  prompts: Record<string, unknown>[];
  resources: Record<string, unknown>[];
  resourceTemplates: Record<string, unknown>[];
  instructions: string | undefined;
  capabilities: ServerCapabilities;
  serverInfo: Record<string, unknown> | undefined;
}

/** The part of a catalog whose items are pinned by name (resources are judged by content only). */
export type PinnedPart = Partial<Pick<Catalog, 'tools' | 'prompts' | 'resourceTemplates' | 'instructions'>>;
