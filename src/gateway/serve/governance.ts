import type { LoadedPolicy } from '../../config/policy-source.js';
import { isHiddenFromList, itemRefusal, toolIdentity } from '../../policy/autonomy.js';
import type { Governance } from '../surfaces/core.js';

/** The gateway's policy questions, answered from the policy in force (hot-reloaded). */
export function policyGovernance(current: () => LoadedPolicy): Governance {
  return {
    policy: current,
    circuit: () => {
      const cb = current().policy.circuit_breaker;
      return {
        failureThreshold: cb.failure_threshold,
        cooldownMs: cb.cooldown_ms,
        halfOpenMaxCalls: cb.half_open_max_calls,
        countTimeouts: cb.count_timeouts,
      };
    },
    exposeErrors: () => {
      const g = current().policy.gateway;
      return g.expose_errors || g.health?.expose_diagnostics === true;
    },
    // Policy globs always name tools `<server>__<tool>`, in wrap mode too (the agent sees bare names there).
    isToolVisible: (server, tool) => !isHiddenFromList(current().compiled, toolIdentity(server, String(tool['name']))),
    isItemVisible: (server, kind, name) => itemRefusal(current().compiled, server, kind, name) === undefined,
    confirmTimeoutMs: () => current().policy.confirm.timeout_ms,
    callTimeoutMs: () => current().policy.limits.call_timeout_ms,
  };
}
