import type { GatewayCore } from './core.js';
import { readHalt } from '../../chain/halt-file.js';

export const HEALTH_TOOL_NAME = '__rea__health';

export const HEALTH_TOOL = {
  name: HEALTH_TOOL_NAME,
  title: 'rea gateway health',
  description: 'Reports the rea gateway version, uptime, HALT state and the status of each downstream server.',
  inputSchema: { type: 'object', properties: {} },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

/** Health answers even under HALT (it changes nothing); error strings stay off the wire unless policy opts in. */
export function healthReport(core: GatewayCore): Record<string, unknown> {
  const exposeErrors = core.governance.exposeErrors();
  const report = {
    version: core.version,
    session_id: core.sessionId,
    uptime_s: Math.round((Date.now() - core.startedAt.getTime()) / 1000),
    halt: readHalt(core.haltPath).kind !== 'absent',
    downstreams: [...core.downstreams.values()].map((d) => ({
      name: d.name,
      state: d.state,
      tools: d.catalog.tools.length,
      restarts: d.restarts,
      circuit: d.breaker.current,
      ...(exposeErrors && d.lastError ? { last_error: d.lastError } : {}),
    })),
    ...core.extraHealth(),
  };
  return { content: [{ type: 'text', text: JSON.stringify(report, null, 2) }], structuredContent: report };
}
