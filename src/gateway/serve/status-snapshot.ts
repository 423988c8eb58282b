import type { ReaPaths } from '../../config/project-paths.js';
import type { GatewayCore } from '../surfaces/core.js';
import { readHalt } from '../../chain/halt-file.js';
import type { ServeState } from '../../observability/serve-state.js';

/** The live state `rea status` reads (`.rea/serve.state.json`); its shape is documented in the README. */
export function statusSnapshot(core: GatewayCore, paths: ReaPaths): ServeState {
  return {
    serve: { running: true as const, pid: process.pid, session_id: core.sessionId, started_at: core.startedAt.toISOString(), version: core.version },
    downstreams: [...core.downstreams.values()].map((d) => ({
      name: d.name,
      state: d.state,
      connected: d.state === 'ready',
      pid: d.pid ?? null,
      tools: d.catalog.tools.length,
      restarts: d.restarts,
      last_error: d.lastError ?? null,
      circuit: d.breaker.current,
    })),
    halt: haltState(paths.halt),
    updated_at: new Date().toISOString(),
  };
}

/** HALT as `rea status` shows it; an unreadable HALT counts as active (the gateway denies on it too). */
export function haltState(haltPath: string): { active: boolean; reason: string | null } {
  const halt = readHalt(haltPath);
  switch (halt.kind) {
    case 'absent':
      return { active: false, reason: null };
    case 'present':
      return { active: true, reason: halt.reason };
    case 'unknown':
      return { active: true, reason: null };
    default: {
      const never: never = halt;
      return never;
    }
  }
}
