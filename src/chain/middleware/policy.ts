import type { LoadedPolicy } from '../../config/policy-source.js';
import { decideAccess, toolIdentity } from '../../policy/autonomy.js';
import { deny, type Middleware } from '../types.js';

/**
 * Stage `policy`: set `ctx.autonomy` from the policy in force and refuse tools the rules deny or the
 * level does not reach (policy/autonomy.ts). The agent gets a short message with the rule class only;
 * the audit record gets the full reason (THREAT_MODEL.md T1).
 */
export function policy(getPolicy: () => LoadedPolicy): Middleware {
  return async function policy(ctx, next) {
    const loaded = getPolicy();
    ctx.autonomy = loaded.autonomy;
    ctx.metadata['policy_version'] = loaded.version;
    if (ctx.surface === 'tool') {
      const decision = decideAccess(loaded.compiled, loaded.autonomy, toolIdentity(ctx.server, ctx.name), ctx.tier);
      if (decision.kind === 'deny') {
        deny(ctx, decision.code, 'policy', decision.reason, decision.message);
        return;
      }
    }
    await next();
  };
}
