/**
 * The seam telemetry hangs on (issue 13). The audit stage asks for an observer on every request;
 * with telemetry off there is none, and the stage pays one undefined check. Implementations live in
 * `observability/telemetry/` and are loaded only when telemetry is configured.
 */
import type { AuditRecord } from '../audit/record.js';
import type { RequestContext } from './types.js';

/** The timed steps of a request that get their own child span. */
export type RequestStep = 'confirm' | 'downstream' | 'audit.append';

export interface RequestObserver {
  /** Called once as the request enters the chain. */
  begin(ctx: RequestContext): RequestTrace;
}

export interface RequestTrace {
  /** Runs `work` as one timed step of the request. */
  step<T>(name: RequestStep, work: () => Promise<T>): Promise<T>;
  /** `_meta` entries that carry the trace to the downstream (W3C `traceparent`, `tracestate`). */
  readonly downstreamMeta: Readonly<Record<string, string>> | undefined;
  /** Called once, after the outcome record was written (`record`) or could not be (`undefined`). */
  end(ctx: RequestContext, record: AuditRecord | undefined): void;
}
