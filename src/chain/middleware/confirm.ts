import { deny, type Confirmation, type Middleware, type RequestContext } from '../types.js';

/** What the agent sees when the client cannot ask the user: it tells the operator how to allow it. */
const UNSUPPORTED_MESSAGE = 'needs user confirmation, which this client cannot ask for; the operator can raise autonomy to L3 or add a tools allow rule';

/**
 * Stage `confirm`: a call the policy stage marked `needsConfirmation` (at L2 each destructive call,
 * and any call a `tools` rule marks `confirm: true`) runs only if the user accepts through MCP
 * elicitation. No answer within `confirm.timeout_ms`, a decline or a cancel denies; so does a
 * client that cannot elicit (THREAT_MODEL.md T1).
 */
export function confirm(isHalted: () => boolean = () => false): Middleware {
  // Only a call that needs the user's answer pays for an async frame of its own.
  return function confirm(ctx, next) {
    return ctx.needsConfirmation ? confirmed(ctx, next, isHalted) : next();
  };
}

async function confirmed(ctx: RequestContext, next: () => Promise<void>, isHalted: () => boolean): Promise<void> {
  const answer = await ask(ctx, ctx.policy.policy.confirm.timeout_ms);
  ctx.metadata['confirmation'] = answer;
  switch (answer) {
    case 'accept':
      // The user may have answered long after the kill switch was checked: HALT wins (T9).
      if (isHalted()) {
        deny(ctx, 'halt', 'confirm', `HALT became active while the user was asked to confirm ${ctx.exposedName}`, 'HALT is active');
        return;
      }
      await next();
      return;
    case 'decline':
    case 'cancel':
    case 'timeout':
      deny(ctx, 'confirmation', 'confirm', `user confirmation for ${ctx.tier} tool ${ctx.exposedName}: ${answer}`, `not confirmed by the user (${answer})`);
      return;
    case 'unsupported':
      deny(ctx, 'confirmation', 'confirm', `${ctx.tier} tool ${ctx.exposedName} at ${ctx.autonomy} needs confirmation; the client does not support elicitation`, `${ctx.tier} tier ${UNSUPPORTED_MESSAGE}`);
      return;
    default: {
      const never: never = answer;
      throw new Error(`unknown confirmation answer ${String(never)}`);
    }
  }
}

function confirmationMessage(ctx: RequestContext): string {
  // Argument names only: values may hold secrets, and redaction runs after this stage.
  const keys = Object.keys(ctx.args);
  const shown = keys.length === 0 ? 'no arguments' : `arguments: ${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', …' : ''}`;
  return `Allow the ${ctx.tier} tool "${ctx.exposedName}" (${shown})? Autonomy ${ctx.autonomy} asks before each such call.`;
}

/** ctx.confirm bounded by the policy timeout and the agent's cancellation, whatever the client does. */
async function ask(ctx: RequestContext, timeoutMs: number): Promise<Confirmation> {
  if (ctx.signal.aborted) return 'cancel';
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const bounded = new Promise<Confirmation>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    onAbort = () => resolve('cancel');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const answer = (): Promise<Confirmation> => Promise.race([ctx.confirm(confirmationMessage(ctx)), bounded]);
    return await (ctx.trace === undefined ? answer() : ctx.trace.step('confirm', answer));
  } finally {
    clearTimeout(timer);
    if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
  }
}
