import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { GatewayEvent } from '../../audit/gateway-event.js';
import type { Refusal } from '../../chain/call-records.js';
import type { Pipelines } from '../../chain/pipeline.js';

export type { Refusal };
import type { LoadedPolicy } from '../../config/policy-source.js';
import type { CircuitOptions } from '../supervision/circuit-breaker.js';
import type { Downstream } from '../supervision/downstream.js';
import type { Router } from './router.js';
import type { InFlight } from './in-flight.js';


/** Policy-dependent answers the gateway asks for, so it never parses policy itself. */
export interface Governance {
  /** The policy in force: each governed request snapshots it once, as it is created. */
  policy(): LoadedPolicy;
  circuit(): CircuitOptions;
  exposeErrors(): boolean;
  /** Is this tool shown to the agent (not denied outright, not withheld by pinning or quarantine)? */
  isToolVisible(server: string, tool: Record<string, unknown>): boolean;
  /** Is this prompt (by name) or other item of the server shown to the agent (server lists, `tools` deny rules)? */
  isItemVisible(server: string, kind: 'prompt' | 'other', name: string): boolean;
  /** Milliseconds the user has to answer a confirmation. */
  confirmTimeoutMs(): number;
  /** Policy bound on one downstream call (limits.call_timeout_ms), if any; the registry's applies too. */
  callTimeoutMs(): number | undefined;
}


export interface GatewayCore {
  readonly sessionId: string;
  readonly startedAt: Date;
  readonly version: string;
  readonly root: string;
  readonly haltPath: string;
  readonly server: Server;
  readonly router: Router;
  readonly downstreams: ReadonlyMap<string, Downstream>;
  readonly governance: Governance;
  /** The governed chain of each surface (chain/pipeline.ts decides what runs, in which order). */
  readonly pipelines: Pipelines;
  readonly record: (event: GatewayEvent) => void;
  /** Redact secrets from a value that leaves the gateway outside the chain (notifications, task payloads). */
  readonly scrub: <T>(value: T) => T;
  /** Record a refusal as the request's one outcome record; resolves once it is written (or failed). */
  readonly recordRefusal: (refusal: Refusal) => Promise<void>;
  /** Resolves when every downstream has settled or the startup budget ran out. */
  readonly ready: Promise<void>;
  readonly inFlight: InFlight;
  /** Entries the health tool adds to its report (telemetry export state). */
  readonly extraHealth: () => Record<string, unknown>;
}

