import { isReaError } from '../../errors.js';
import { deny, type Middleware } from '../types.js';

/** What this stage needs of a server's circuit breaker (the supervisor's, gateway/circuit-breaker.ts). */
export interface Breaker {
  readonly current: string;
  tryAcquire(): boolean;
  release(): void;
  recordSuccess(): void;
  recordFailure(): void;
}

/**
 * Stage `circuit-breaker`: fail fast while a server's circuit is open; count the call's outcome when
 * it returns. A call the agent cancelled says nothing about the server's health, so it is not
 * counted; nor is a timeout when `circuit_breaker.count_timeouts` is off.
 */
export function circuitBreaker(breakerOf: (server: string) => Breaker | undefined): Middleware {
  return async function circuitBreaker(ctx, next) {
    const breaker = breakerOf(ctx.server);
    if (!breaker) return next();
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
      else if (isReaError(outcome.error, 'DOWNSTREAM_TIMEOUT') && !ctx.policy.policy.circuit_breaker.count_timeouts) breaker.release();
      else breaker.recordFailure();
    }
  };
}
