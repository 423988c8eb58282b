import { ReaError } from '../errors.js';
import type { Middleware, RequestContext } from './types.js';

/** A composed chain: runs one request through its stages. */
export type Chain = (ctx: RequestContext) => Promise<void>;

/**
 * Koa-style onion over one ordered list: the first stage runs first and finishes last.
 * Guards the chain itself (STYLE.md §2): non-functions are refused when the chain is built; a stage
 * that calls `next()` twice, or returns while the stages inside it are still running (it did not
 * await `next()`), throws, so the audit stage records the request as an internal error instead of
 * writing its record before the call has finished.
 */
export function compose(stages: readonly Middleware[]): Chain {
  stages.forEach((stage, index) => {
    if (typeof stage !== 'function') {
      throw new ReaError('CHAIN_INVALID', `Chain stage #${index} is not a function (got ${typeof stage})`);
    }
  });
  const count = stages.length;
  return (ctx) => {
    let reached = -1;
    // Every dispatch from this index on has finished: dispatch(i) sets it to i as it returns.
    let finishedFrom = count + 1;
    const dispatch = async (i: number): Promise<void> => {
      if (i <= reached) throw new ReaError('CHAIN_NEXT_TWICE', `Stage "${stages[i - 1]?.name ?? '?'}" called next() twice`);
      reached = i;
      try {
        const stage = stages[i];
        if (stage === undefined) return;
        let inner: Promise<void> | undefined;
        await stage(ctx, () => (inner = dispatch(i + 1)));
        if (inner !== undefined && finishedFrom > i + 1) {
          // Its eventual failure is this one's: do not let it surface as an unhandled rejection.
          inner.catch(() => undefined);
          throw new ReaError('CHAIN_SKIPPED_NEXT', `Stage "${stage.name || `#${i}`}" returned before the stages after it finished (it did not await next())`);
        }
      } finally {
        finishedFrom = i;
      }
    };
    return dispatch(0);
  };
}
