/**
 * The audit records of a governed request, built from its context: the intent record written just
 * before execute and the one outcome record written by the audit stage.
 */
import type { AuditInput, AuditStatus } from '../audit/record.js';
import { errorMessage, isReaError } from '../errors.js';
import type { RequestContext } from './types.js';

/** Error text from downstreams is bounded; the record is evidence, not a result store. */
const MAX_ERROR_CHARS = 2000;

/** A write or destructive call about to reach its downstream (issue 4: a crash mid-call leaves evidence). */
export function intentRecord(ctx: RequestContext): AuditInput {
  return { ...baseRecord(ctx), phase: 'intent', status: 'allowed' };
}

function baseRecord(ctx: RequestContext): AuditInput {
  return {
    session_id: ctx.sessionId,
    tool_name: ctx.name,
    server_name: ctx.server,
    tier: ctx.tier,
    autonomy_level: ctx.autonomy,
    duration_ms: Math.round(performance.now() - ctx.startedAt),
    call_id: ctx.callId,
    surface: ctx.surface,
    ...(ctx.argsDigest === undefined ? {} : { args_digest: ctx.argsDigest }),
  };
}

/** The request's one outcome record: its decision, or what execute and the post-stages made of it. */
export function outcomeRecord(ctx: RequestContext): AuditInput {
  const base = baseRecord(ctx);
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

