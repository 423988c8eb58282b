/**
 * What a downstream's supervisor needs from the agent's side: shared by the downstream, its client
 * handlers and the list fetcher, so none of them imports another for a type.
 */
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { Catalog, CatalogKind } from '../../registry/catalog.js';
import type { CircuitState } from './circuit-breaker.js';
import type { AnyResult } from '../transport/wire-schemas.js';

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
