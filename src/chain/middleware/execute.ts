import type { Middleware } from '../types.js';

/** Innermost stage: forwards to the downstream and records what came back. Never calls next. */
export function execute(): Middleware {
  return async function execute(ctx) {
    try {
      ctx.outcome = { kind: 'result', result: await ctx.forward(ctx.args, ctx.signal) };
    } catch (error) {
      ctx.outcome = { kind: 'error', error };
    }
  };
}
