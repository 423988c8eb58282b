import { ReaError } from '../errors.js';
import type { Middleware, RequestContext } from './types.js';

/** A composed chain: runs one request through its stages. */
export type Chain = (ctx: RequestContext) => Promise<void>;

/** Stages a chain may have: which stages are still running is one bit each of a small integer. */
const MAX_STAGES = 30;

/**
 * Koa-style onion over one ordered list: the first stage runs first and finishes last.
 * Guards the chain itself (STYLE.md §2): non-functions are refused when the chain is built; a stage
 * that calls `next()` twice, or returns while the stages inside it are still running (it did not
 * await `next()`), throws, so the audit stage records the request as an internal error instead of
 * writing its record before the call has finished.
 *
 * Cheap per call (issue 11): a stage that hands back `next()`'s own promise, or stops at once with
 * an already settled one, is passed through as it is; only a stage with work of its own after
 * `next()` gets a promise of ours, which checks, once it settles, that no stage inside it is still
 * running.
 */
export function compose(stages: readonly Middleware[]): Chain {
  stages.forEach((stage, index) => {
    if (typeof stage !== 'function') {
      throw new ReaError('CHAIN_INVALID', `Chain stage #${index} is not a function (got ${typeof stage})`);
    }
  });
  if (stages.length > MAX_STAGES) throw new ReaError('CHAIN_INVALID', `A chain has at most ${MAX_STAGES} stages (got ${stages.length})`);
  return (ctx) => {
    let reached = -1;
    // Bit i: the stage at index i returned a promise of its own that has not settled yet.
    let running = 0;
    const dispatch = (i: number): Promise<void> => {
      if (i <= reached) return Promise.reject(new ReaError('CHAIN_NEXT_TWICE', `Stage "${stages[i - 1]?.name ?? '?'}" called next() twice`));
      reached = i;
      const stage = stages[i];
      if (stage === undefined) return STOPPED_HERE;
      let inner: Promise<void> | undefined;
      let returned: Promise<void>;
      try {
        returned = stage(ctx, () => (inner = dispatch(i + 1)));
      } catch (error) {
        return Promise.reject(error);
      }
      // Passed through: it settles exactly when the stages inside it have.
      if (returned === inner && returned !== undefined) return returned;
      running |= 1 << i;
      // A reaction, not an async wrapper: the frame, the await and the closure of an async function
      // cost more than the two handlers, and this runs for every stage with work after next().
      return Promise.resolve(returned).then(
        () => {
          running &= ~(1 << i);
          if (running >>> (i + 1) !== 0) {
            // Its eventual failure is this one's: do not let it surface as an unhandled rejection.
            inner?.catch(() => undefined);
            throw new ReaError('CHAIN_SKIPPED_NEXT', `Stage "${stage.name || `#${i}`}" returned before the stages after it finished (it did not await next())`);
          }
        },
        (error: unknown) => {
          running &= ~(1 << i);
          throw error;
        },
      );
    };
    return dispatch(0);
  };
}

/** What dispatching past the last stage returns. */
const STOPPED_HERE: Promise<void> = Promise.resolve();
