import { toolIdentity } from '../../policy/autonomy.js';
import { toolLimit, type Limit } from '../../policy/compiled-policy.js';
import { defaultBurst, InFlightCounter, TokenBucket } from '../../policy/token-bucket.js';
import { deny, type Middleware, type RequestContext } from '../types.js';

const RATE_LIMIT_MESSAGE = 'rate limit';

interface Scope {
  readonly key: string;
  readonly limit: Limit;
}

/**
 * Stage `rate-limit`: per server (`rate_limits.servers`, else `server_default`) and per tool
 * (`rate_limits.tools`, first matching glob, one bucket per tool), a token bucket (rate, burst) and a
 * cap on calls in flight, released when the rest of the chain returns (THREAT_MODEL.md T6). Buckets
 * survive policy reloads unless their rate or burst changed, so an edit cannot be used to refill them.
 */
export function rateLimit(now: () => number = () => performance.now()): Middleware {
  const buckets = new Map<string, TokenBucket>();
  const inFlight = new Map<string, InFlightCounter>();

  const bucketFor = (scope: Scope, rate: number, at: number): TokenBucket => {
    const burst = scope.limit.burst ?? defaultBurst(rate);
    let bucket = buckets.get(scope.key);
    if (!bucket || bucket.rate !== rate || bucket.burst !== burst) {
      bucket = new TokenBucket(rate, burst, at);
      buckets.set(scope.key, bucket);
    }
    return bucket;
  };
  const counterFor = (key: string): InFlightCounter => {
    let counter = inFlight.get(key);
    if (!counter) inFlight.set(key, (counter = new InFlightCounter()));
    return counter;
  };

  return function rateLimit(ctx, next) {
    const { policy, compiled } = ctx.policy;
    const serverLimit = policy.rate_limits.servers?.[ctx.server] ?? policy.rate_limits.server_default;
    const hasToolLimits = ctx.surface === 'tool' && compiled.toolLimits.length > 0;
    // The usual policy limits nothing: no scope, no frame of its own.
    if (!serverLimit && !hasToolLimits) return next();
    const scopes: Scope[] = [];
    if (serverLimit) scopes.push({ key: `server:${ctx.server}`, limit: serverLimit });
    if (hasToolLimits) {
      const { exposedName } = toolIdentity(ctx.server, ctx.name);
      const entry = toolLimit(compiled, exposedName);
      if (entry) scopes.push({ key: `tool:${exposedName}`, limit: entry.limit });
    }
    return limited(ctx, next, scopes);
  };

  async function limited(ctx: RequestContext, next: () => Promise<void>, scopes: readonly Scope[]): Promise<void> {
    if (scopes.length === 0) {
      await next();
      return;
    }
    const acquired: InFlightCounter[] = [];
    const taken: TokenBucket[] = [];
    const refuse = (scope: Scope, what: string): void => {
      for (const counter of acquired) counter.release();
      for (const bucket of taken) bucket.refund();
      deny(ctx, 'rate_limit', 'rate-limit', `${scope.key} ${what}`, RATE_LIMIT_MESSAGE);
    };
    const at = now();
    for (const scope of scopes) {
      const max = scope.limit.max_in_flight;
      if (max !== undefined) {
        const counter = counterFor(scope.key);
        if (!counter.tryAcquire(max)) return refuse(scope, `has ${max} calls in flight (max_in_flight ${max})`);
        acquired.push(counter);
      }
      const rate = scope.limit.rate;
      if (rate !== undefined) {
        const bucket = bucketFor(scope, rate, at);
        if (!bucket.tryTake(at)) return refuse(scope, `exceeded ${rate}/s (burst ${bucket.burst})`);
        taken.push(bucket);
      }
    }
    try {
      await next();
    } finally {
      for (const counter of acquired) counter.release();
    }
  }
}
