import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { RequestContext } from '../../chain/types.js';
import { ReaError } from '../../errors.js';
import { denialResult, denialText } from './denial.js';
import type { Downstream } from '../supervision/downstream.js';
import { toWireError, WireError } from './to-wire-error.js';

/**
 * What the agent gets once the chain has run: the result; or the denial, as a tool result where the
 * surface has `isError` (tools) and as a JSON-RPC error with the same text elsewhere; or the error.
 */
export function answerFrom(ctx: RequestContext, denialAs: 'result' | 'error', downstream?: Downstream): Record<string, unknown> {
  const decision = ctx.decision;
  if (decision.kind === 'deny') {
    if (denialAs === 'result') return denialResult(decision.code, decision.message, ctx.callId);
    throw new WireError(ErrorCode.InvalidRequest, denialText(decision.code, decision.message));
  }
  if (ctx.outcome?.kind === 'result') return ctx.outcome.result;
  throw toWireError(ctx.outcome?.kind === 'error' ? ctx.outcome.error : new ReaError('INTERNAL', `The chain produced no outcome for ${ctx.exposedName}`), downstream);
}
