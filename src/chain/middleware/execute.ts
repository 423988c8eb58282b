import type { Middleware, RequestContext } from '../types.js';
import { STOPPED } from '../types.js';

/**
 * Innermost stage: forwards to the downstream and records what came back. Never calls next. With
 * telemetry on, the downstream round trip is a timed step that carries the trace context (issue 13).
 * Two handlers on the forward's promise rather than an async frame: this runs for every call.
 */
export function execute(): Middleware {
  return function execute(ctx) {
    const trace = ctx.trace;
    let forwarded: Promise<Record<string, unknown>>;
    try {
      forwarded =
        trace === undefined
          ? ctx.forward(ctx.args, ctx.signal)
          : trace.step('downstream', () => ctx.forward(ctx.args, ctx.signal, trace.downstreamMeta));
    } catch (error) {
      ctx.outcome = { kind: 'error', error };
      return STOPPED;
    }
    return Promise.resolve(forwarded).then(
      (result) => recordResult(ctx, result),
      (error: unknown) => recordError(ctx, error),
    );
  };
}

function recordResult(ctx: RequestContext, result: Record<string, unknown>): void {
  ctx.outcome = { kind: 'result', result };
}

function recordError(ctx: RequestContext, error: unknown): void {
  ctx.outcome = { kind: 'error', error };
}
