import type { CircuitBreaker } from '../../gateway/circuit-breaker.js';
import { isReaError } from '../../errors.js';
import { deny, type Middleware } from '../types.js';

function isTimeout(error: unknown): boolean {
  return isReaError(error, 'DOWNSTREAM_TIMEOUT');
}

/**
 * Fail fast while a server's circuit is open; count the call's outcome when it returns. A call
 * the agent cancelled says nothing about the server's health, so it is not counted.
 */
export function circuitBreaker(
  breakerOf: (server: string) => CircuitBreaker | undefined,
  countTimeouts: (server: string) => boolean = () => true,
): Middleware {
  return async function circuitBreaker(ctx, next) {
    const breaker = breakerOf(ctx.server);
    if (!breaker || ctx.surface === 'sampling' || ctx.surface === 'elicitation') return next();
    if (!breaker.tryAcquire()) {
      deny(ctx, 'circuit_open', 'circuit-breaker', `Circuit for server "${ctx.server}" is ${breaker.current}; failing fast`);
      return;
    }
    try {
      await next();
    } finally {
      const outcome = ctx.outcome;
      if (!outcome || ctx.signal.aborted) breaker.release();
      else if (outcome.kind === 'result') breaker.recordSuccess();
      else if (isTimeout(outcome.error) && !countTimeouts(ctx.server)) breaker.release();
      else breaker.recordFailure();
    }
  };
}
