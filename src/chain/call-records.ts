/**
 * The audit records of a governed request, all built here: the intent record written just before
 * execute, the one outcome record written by the audit stage, and the outcome record of a request
 * refused before its pipeline could run (unknown or withheld tool, malformed params).
 */
import type { AuditInput, AuditStatus } from '../audit/record.js';
import { digestArgs } from '../audit/record.js';
import { errorMessage, isReaError } from '../errors.js';
import type { RequestContext } from './types.js';

/** Error text from downstreams is bounded; the record is evidence, not a result store. */
const MAX_ERROR_CHARS = 2000;

/** A write or destructive call about to reach its downstream (issue 4: a crash mid-call leaves evidence). */
export function intentRecord(ctx: RequestContext): AuditInput {
  const record = baseRecord(ctx);
  record.phase = 'intent';
  record.status = 'allowed';
  return record;
}

function baseRecord(ctx: RequestContext): AuditInput {
  const record: AuditInput = {
    session_id: ctx.sessionId,
    tool_name: ctx.name,
    server_name: ctx.server,
    tier: ctx.tier,
    autonomy_level: ctx.autonomy,
    duration_ms: Math.round(performance.now() - ctx.startedAt),
    call_id: ctx.callId,
    surface: ctx.surface,
  };
  if (ctx.argsDigest !== undefined) record.args_digest = ctx.argsDigest;
  return record;
}

/**
 * The request's one outcome record: its decision, or what execute and the post-stages made of it.
 * Built once the chain has finished, so it takes the context's metadata as it stands, uncopied.
 */
export function outcomeRecord(ctx: RequestContext): AuditInput {
  const record = baseRecord(ctx);
  const metadata = ctx.metadata;
  record.phase = 'outcome';
  let status: AuditStatus = 'allowed';
  let error: string | undefined;
  const decision = ctx.decision;
  const outcome = ctx.outcome;
  if (decision.kind === 'deny') {
    status = 'denied';
    error = decision.reason;
    record.deny_stage = decision.stage;
    record.deny_code = decision.code;
  } else if (outcome?.kind === 'error') {
    status = 'error';
    error = errorMessage(outcome.error);
    metadata['outcome'] = ctx.signal.aborted ? 'cancelled' : isReaError(outcome.error, 'DOWNSTREAM_TIMEOUT') ? 'timeout' : 'error';
    if (isReaError(outcome.error)) metadata['error_code'] = outcome.error.code;
  } else if (outcome === undefined) {
    status = 'error';
    error = ctx.signal.aborted ? 'cancelled by the client before a result' : 'the chain ended without a decision or a result';
    metadata['outcome'] = ctx.signal.aborted ? 'cancelled' : 'no_outcome';
  } else if (outcome.result['isError'] === true) {
    metadata['result_is_error'] = true;
  }
  record.status = status;
  if (error !== undefined) record.error = error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}…` : error;
  if (ctx.redactedFields.length > 0) record.redacted_fields = ctx.redactedFields;
  if (hasOwnKeys(metadata)) record.metadata = metadata;
  return record;
}

/** `Object.keys(o).length > 0` without building the array. */
function hasOwnKeys(o: object): boolean {
  for (const key in o) if (Object.hasOwn(o, key)) return true;
  return false;
}

/** A request refused before the chain could run (unknown or withheld tool, malformed arguments). */
export interface Refusal {
  readonly surface: 'tool' | 'prompt' | 'resource' | 'completion';
  readonly server: string;
  readonly name: string;
  readonly code: 'unknown_tool' | 'withheld' | 'invalid_params' | 'unknown_prompt' | 'unknown_resource';
  readonly reason: string;
  readonly params: Record<string, unknown>;
}

/** The outcome record of a refusal made before the pipeline: only a digest of the params is kept. */
export function refusalRecord(refusal: Refusal, callId: string, autonomy: string): AuditInput {
  return {
    tool_name: refusal.name,
    server_name: refusal.server || 'unknown',
    tier: 'read',
    status: 'denied',
    autonomy_level: autonomy,
    duration_ms: 0,
    error: refusal.reason,
    call_id: callId,
    phase: 'outcome',
    surface: refusal.surface,
    args_digest: digestArgs(refusal.params),
    deny_stage: 'router',
    deny_code: refusal.code,
  };
}
