import type { Middleware } from '../types.js';

/**
 * Innermost stage: forwards to the downstream and records what came back. Never calls next. With
 * telemetry on, the downstream round trip is a timed step that carries the trace context (issue 13).
 */
export function execute(): Middleware {
  return async function execute(ctx) {
    const trace = ctx.trace;
    try {
      const result =
        trace === undefined
          ? await ctx.forward(ctx.args, ctx.signal)
          : await trace.step('downstream', () => ctx.forward(ctx.args, ctx.signal, trace.downstreamMeta));
      ctx.outcome = { kind: 'result', result };
    } catch (error) {
      ctx.outcome = { kind: 'error', error };
    }
  };
}
