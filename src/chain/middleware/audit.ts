/**
 * The outermost stage: exactly one durable outcome record per governed request, whatever path it
 * takes, and for write/destructive calls a durable intent record before the downstream sees the
 * call (issue 4). A record that cannot be written follows the log's `onFailure`: `deny` (default)
 * refuses the call, `allow` lets it through and the writer records the failure later.
 */
import type { AuditLog } from '../../audit/log-writer.js';
import type { AuditInput, AuditStatus } from '../../audit/record.js';
import { digestArgs } from '../../audit/record.js';
import { errorMessage, isReaError } from '../../errors.js';
import { createLogger } from '../../observability/logger.js';
import { deny } from '../types.js';
import type { Middleware, RequestContext } from '../types.js';
import type { RequestObserver, RequestTrace } from '../request-observer.js';

const log = createLogger('audit');
const STAGE = 'audit';
/** Error text from downstreams is bounded; the record is evidence, not a result store. */
const MAX_ERROR_CHARS = 2000;

export interface AuditStageOptions {
  /** Digest the arguments the agent sent into `args_digest` (default true). */
  readonly digestArguments?: boolean;
  /** Telemetry's view of each request (spans, duration); absent while telemetry is off. */
  readonly observer?: () => RequestObserver | undefined;
}

/** `log()` returning undefined means auditing is off: the stage then only calls next(). */
export function audit(getLog: () => AuditLog | undefined, opts: AuditStageOptions = {}): Middleware {
  const shouldDigest = opts.digestArguments ?? true;
  return async function audit(ctx, next) {
    const auditLog = getLog();
    if (auditLog === undefined) return next();
    const argsDigest = shouldDigest ? digestArgs(ctx.params) : undefined;
    const trace = opts.observer?.()?.begin(ctx);
    if (trace !== undefined) ctx.trace = trace;
    const intent = guardForward(ctx, auditLog, argsDigest, trace);
    try {
      await next();
    } catch (error) {
      // Fail closed: a bug in any stage is a denial, and it is recorded (STYLE.md §2).
      log.error('chain stage threw', { callId: ctx.callId, error: errorMessage(error) });
      ctx.outcome = undefined;
      deny(ctx, 'internal', STAGE, `Internal error while handling ${ctx.exposedName}: ${errorMessage(error)}`, 'internal error');
    }
    if (intent.failure !== undefined && ctx.decision.kind !== 'deny') refuse(ctx, intent.failure, 'intent');
    const record = outcomeRecord(ctx, argsDigest);
    const isRelaxed = auditLog.options.durability === 'relaxed';
    // Only a durable append is a step of the request: a relaxed one happens after the answer.
    const written = trace === undefined || isRelaxed ? auditLog.append(record) : trace.step('audit.append', () => auditLog.append(record));
    if (isRelaxed) {
      // Relaxed (issue 4): the answer does not wait for its record. A write that fails is counted,
      // logged and recorded by the writer's failure note once writing works again.
      written.then((r) => trace?.end(ctx, r), () => trace?.end(ctx, undefined));
      return;
    }
    try {
      // Awaited on its own line: `trace?.end(ctx, await written)` would skip the await with telemetry off.
      const outcome = await written;
      trace?.end(ctx, outcome);
    } catch (error) {
      trace?.end(ctx, undefined);
      if ((auditLog.options.onFailure ?? 'deny') === 'deny' && ctx.decision.kind !== 'deny') {
        ctx.outcome = undefined;
        refuse(ctx, errorMessage(error), 'outcome');
      }
    }
  };
}

/**
 * Writes the intent record when the call is actually forwarded: only then is the tier final (the
 * tier stage runs inside us), and a call denied earlier never reaches the downstream anyway.
 * The context's `forward` is wrapped in place; only execute calls it.
 */
function guardForward(ctx: RequestContext, auditLog: AuditLog, argsDigest: string | undefined, trace: RequestTrace | undefined): { failure?: string } {
  const state: { failure?: string } = {};
  const forward = ctx.forward;
  const guarded: RequestContext['forward'] = async (args, signal) => {
    if (ctx.tier !== 'read') {
      try {
        await auditLog.append({ ...baseRecord(ctx, argsDigest), phase: 'intent', status: 'allowed' });
      } catch (error) {
        if ((auditLog.options.onFailure ?? 'deny') === 'deny') {
          state.failure = errorMessage(error);
          throw error;
        }
      }
    }
    return trace === undefined ? forward(args, signal) : trace.step('downstream', () => forward(args, signal, trace.downstreamMeta));
  };
  Object.defineProperty(ctx, 'forward', { value: guarded, configurable: true, enumerable: true });
  return state;
}

function refuse(ctx: RequestContext, why: string, which: 'intent' | 'outcome'): void {
  deny(ctx, 'audit_unavailable', STAGE, `Audit log unavailable, so ${ctx.exposedName} was refused (${which} record not written): ${why}`, 'audit log unavailable');
}

function baseRecord(ctx: RequestContext, argsDigest: string | undefined): AuditInput {
  return {
    session_id: ctx.sessionId,
    tool_name: ctx.name,
    server_name: ctx.server,
    tier: ctx.tier,
    autonomy_level: ctx.autonomy,
    duration_ms: Math.round(performance.now() - ctx.startedAt),
    call_id: ctx.callId,
    surface: ctx.surface,
    ...(argsDigest === undefined ? {} : { args_digest: argsDigest }),
  };
}

function outcomeRecord(ctx: RequestContext, argsDigest: string | undefined): AuditInput {
  const base = baseRecord(ctx, argsDigest);
  const metadata: Record<string, unknown> = { ...ctx.metadata };
  let status: AuditStatus = 'allowed';
  let error: string | undefined;
  const extra: Partial<AuditInput> = {};
  if (ctx.decision.kind === 'deny') {
    status = 'denied';
    error = ctx.decision.reason;
    extra.deny_stage = ctx.decision.stage;
    extra.deny_code = ctx.decision.code;
  } else if (ctx.outcome?.kind === 'error') {
    status = 'error';
    error = errorMessage(ctx.outcome.error);
    metadata['outcome'] = ctx.signal.aborted ? 'cancelled' : isReaError(ctx.outcome.error, 'DOWNSTREAM_TIMEOUT') ? 'timeout' : 'error';
    if (isReaError(ctx.outcome.error)) metadata['error_code'] = ctx.outcome.error.code;
  } else if (ctx.outcome === undefined) {
    status = 'error';
    error = ctx.signal.aborted ? 'cancelled by the client before a result' : 'the chain ended without a decision or a result';
    metadata['outcome'] = ctx.signal.aborted ? 'cancelled' : 'no_outcome';
  } else if (ctx.outcome.result['isError'] === true) {
    metadata['result_is_error'] = true;
  }
  return {
    ...base,
    ...extra,
    phase: 'outcome',
    status,
    ...(error === undefined ? {} : { error: error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}…` : error }),
    ...(ctx.redactedFields.length > 0 ? { redacted_fields: ctx.redactedFields } : {}),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

export interface GatewayEvent {
  /** `start` becomes `rea.gateway.start`; a name already starting with `rea.` is kept. */
  readonly event: string;
  readonly status?: AuditStatus;
  readonly sessionId?: string;
  readonly error?: string;
  readonly metadata?: Record<string, unknown>;
}

/**
 * Records a gateway event (start/stop, HALT, policy reload, restart, circuit change, TOFU
 * decision, …). Never throws: a failed write is counted by the log and recorded once it recovers.
 */
export async function recordEvent(auditLog: AuditLog | undefined, event: GatewayEvent): Promise<boolean> {
  if (auditLog === undefined) return false;
  try {
    await auditLog.append({
      tool_name: event.event.startsWith('rea.') ? event.event : `rea.gateway.${event.event}`,
      server_name: 'rea',
      tier: 'read',
      status: event.status ?? 'allowed',
      autonomy_level: 'system',
      phase: 'event',
      ...(event.sessionId === undefined ? {} : { session_id: event.sessionId }),
      ...(event.error === undefined ? {} : { error: event.error }),
      ...(event.metadata === undefined ? {} : { metadata: event.metadata }),
    });
    return true;
  } catch {
    // Already counted, logged and queued for the failure note by the writer.
    return false;
  }
}
