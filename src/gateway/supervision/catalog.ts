/**
 * What a downstream server advertises, and what its supervisor needs from the agent's side: shared
 * by the downstream, its client handlers and the list fetcher, so none of them imports another for
 * a type.
 */
import type { ClientCapabilities, ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { CircuitState } from './circuit-breaker.js';
import type { AnyResult } from '../transport/wire-schemas.js';

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

/** What a downstream needs from the gateway's upstream side. */
export interface UpstreamBridge {
  clientCapabilities(): ClientCapabilities;
  /** A request the downstream makes of the client (sampling, elicitation, roots). */
  requestClient(server: string, method: string, params: Record<string, unknown>, signal: AbortSignal): Promise<AnyResult>;
  notifyClient(server: string, method: string, params: Record<string, unknown>): void;
  catalogChanged(server: string, kinds: readonly CatalogKind[]): void;
  stateChanged(server: string): void;
  circuitChanged(server: string, from: CircuitState, to: CircuitState): void;
  restarted(server: string, attempt: number, reason: string): void;
  /** Filter what a server advertises before the agent sees it (pins, quarantine). */
  review(server: string, catalog: Catalog): Promise<{ catalog: Catalog; withheld: ReadonlyMap<string, string> }>;
}
