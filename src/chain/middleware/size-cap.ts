import { capResult } from '../../policy/result-size.js';
import type { Middleware, RequestContext } from '../types.js';

/**
 * Stage `size-cap` (post-work): bound the result the agent receives to `limits.max_result_bytes`,
 * keeping it a valid MCP result (policy/result-size.ts), and record the sizes for the audit.
 */
export function sizeCap(): Middleware {
  // A reaction rather than an async frame: this runs for every call (issue 11).
  return function sizeCap(ctx, next) {
    return next().then(() => capOutcome(ctx));
  };
}

function capOutcome(ctx: RequestContext): void {
  const outcome = ctx.outcome;
  if (outcome?.kind !== 'result') return;
  const max = ctx.policy.policy.limits.max_result_bytes;
  const report = capResult(outcome.result, max);
  ctx.metadata['result_bytes'] = report.bytesBefore;
  if (report.truncated) {
    ctx.metadata['result_truncated'] = true;
    ctx.metadata['result_bytes_after_cap'] = report.bytesAfter;
    ctx.outcome = { kind: 'result', result: report.result };
  }
}
