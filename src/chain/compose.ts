import { ReaError } from '../errors.js';
import type { Middleware, RequestContext } from './types.js';

/**
 * Koa-style onion over one ordered list: the first stage runs first and finishes last.
 * Guards the chain itself: non-functions are refused when the chain is built, and a stage that
 * calls `next()` twice throws instead of running the rest of the chain again.
 */
export function compose(stages: readonly Middleware[]): (ctx: RequestContext) => Promise<void> {
  stages.forEach((stage, index) => {
    if (typeof stage !== 'function') {
      throw new ReaError('CHAIN_INVALID', `Chain stage #${index} is not a function (got ${typeof stage})`);
    }
  });
  return (ctx) => {
    let reached = -1;
    const dispatch = async (i: number): Promise<void> => {
      if (i <= reached) throw new ReaError('CHAIN_NEXT_TWICE', `Stage "${stages[i - 1]?.name ?? '?'}" called next() twice`);
      reached = i;
      const stage = stages[i];
      if (stage) await stage(ctx, () => dispatch(i + 1));
    };
    return dispatch(0);
  };
}
