/**
 * The outermost stage: exactly one durable outcome record per governed request, whatever path it
 * takes (the intent record of a write or destructive call is the `intent` stage's, just before
 * execute). A record that cannot be written follows the log's `onFailure`: `deny` (default) refuses
 * the call, `allow` lets it through and the writer records the failure later.
 */
import type { AuditLog } from '../../audit/log-writer.js';
import { outcomeRecord } from '../call-records.js';
import { digestArgs } from '../../audit/record.js';
import { errorMessage } from '../../errors.js';
import { createLogger } from '../../observability/logger.js';
import { deny } from '../types.js';
import type { Middleware, RequestContext, RequestObserver, RequestTrace } from '../types.js';

const log = createLogger('audit');
const STAGE = 'audit';

export interface AuditStageOptions {
  /** Digest the arguments the agent sent into `args_digest` (default true). */
  readonly digestArguments?: boolean;
  /** Telemetry's view of each request (spans, duration); absent while telemetry is off. */
  readonly observer?: () => RequestObserver | undefined;
}

/** `log()` returning undefined means auditing is off: the stage then only calls next(). */
export function audit(getLog: () => AuditLog | undefined, opts: AuditStageOptions = {}): Middleware {
  const shouldDigest = opts.digestArguments ?? true;
  // Reactions rather than an async frame: this runs for every call (issue 11).
  return function audit(ctx, next) {
    const auditLog = getLog();
    if (auditLog === undefined) return next();
    if (shouldDigest) ctx.argsDigest = digestArgs(ctx.params);
    const trace = opts.observer?.()?.begin(ctx);
    if (trace !== undefined) ctx.trace = trace;
    return next().then(
      () => writeOutcome(ctx, auditLog, trace),
      (error: unknown) => {
        // Fail closed: a bug in any stage is a denial, and it is recorded (STYLE.md §2).
        log.error('chain stage threw', { callId: ctx.callId, error: errorMessage(error) });
        ctx.outcome = undefined;
        deny(ctx, 'internal', STAGE, `Internal error while handling ${ctx.exposedName}: ${errorMessage(error)}`, 'internal error');
        return writeOutcome(ctx, auditLog, trace);
      },
    );
  };
}

/** The one outcome record: after the answer when relaxed, before it when durable. */
function writeOutcome(ctx: RequestContext, auditLog: AuditLog, trace: RequestTrace | undefined): Promise<void> | undefined {
  const record = outcomeRecord(ctx);
  if (auditLog.options.durability === 'relaxed') {
    // Relaxed (issue 4): the answer does not wait for its record. A write that fails is counted,
    // logged and recorded by the writer's failure note once writing works again.
    // The request's span and duration end with the answer, not with the record gathered after it.
    if (trace === undefined) auditLog.appendUnawaited(record);
    else {
      const answeredAt = performance.now();
      auditLog.append(record).then((r) => trace.end(ctx, r, answeredAt), () => trace.end(ctx, undefined, answeredAt));
    }
    return undefined;
  }
  // Only a durable append is a step of the request: a relaxed one happens after the answer.
  const written = trace === undefined ? auditLog.append(record) : trace.step('audit.append', () => auditLog.append(record));
  return written.then(
    (outcome) => trace?.end(ctx, outcome),
    (error: unknown) => {
      trace?.end(ctx, undefined);
      if ((auditLog.options.onFailure ?? 'deny') === 'deny' && ctx.decision.kind !== 'deny') {
        ctx.outcome = undefined;
        refuse(ctx, errorMessage(error), 'outcome');
      }
    },
  );
}

/** A record that could not be written refuses the call (audit `on_failure: deny`). */
export function refuse(ctx: RequestContext, why: string, which: 'intent' | 'outcome', stage = STAGE): void {
  deny(ctx, 'audit_unavailable', stage, `Audit log unavailable, so ${ctx.exposedName} was refused (${which} record not written): ${why}`, 'audit log unavailable');
}
