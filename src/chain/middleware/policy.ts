import { decideAccess, itemRefusal, NOT_ALLOWED_MESSAGE, toolIdentity } from '../../policy/autonomy.js';
import { deny, STOPPED, type Middleware, type RequestContext } from '../types.js';

/** A prompts/get, or a completion of a prompt's argument: named like a tool. */
function isPromptRequest(ctx: RequestContext): boolean {
  if (ctx.surface === 'prompt') return true;
  const ref = ctx.params['ref'] as { type?: unknown } | undefined;
  return ctx.surface === 'completion' && ref?.type === 'ref/prompt';
}

/**
 * Stage `policy`: the one access decision of a request, against the request's policy snapshot. It
 * refuses tools the rules deny or the level does not reach, and other requests the server lists
 * refuse (policy/autonomy.ts); an allowed tool call that needs the user's consent is marked with
 * `ctx.needsConfirmation` for the confirm stage. The agent gets a short message with the rule class
 * only; the audit record gets the full reason (THREAT_MODEL.md T1).
 */
export function policy(): Middleware {
  return function policy(ctx, next) {
    const loaded = ctx.policy;
    ctx.metadata['policy_version'] = loaded.version;
    if (ctx.surface === 'tool') {
      const decision = decideAccess(loaded.compiled, ctx.autonomy, toolIdentity(ctx.server, ctx.name), ctx.tier);
      if (decision.kind === 'deny') {
        deny(ctx, decision.code, 'policy', decision.reason, decision.message);
        return STOPPED;
      }
      ctx.needsConfirmation = decision.confirm;
    } else {
      const refusal = itemRefusal(loaded.compiled, ctx.server, isPromptRequest(ctx) ? 'prompt' : 'other', ctx.name);
      if (refusal !== undefined) {
        deny(ctx, 'policy', 'policy', refusal, NOT_ALLOWED_MESSAGE);
        return STOPPED;
      }
    }
    return next();
  };
}
