import type { ServerSpec } from '../../config/registry-schema.js';
import type { Logger } from '../../observability/logger.js';
import { ChildTransport, type ChildSpec } from './child-transport.js';
import { spawnSpecFor } from './spawn-spec.js';

/** A registry entry on its way up (its launch spec and its process, already started), or why it must not run. */
export type Launch = { readonly spec: ChildSpec; readonly transport: ChildTransport } | Error;

/**
 * Starts every server that may run, before the rest of the gateway (the MCP SDK above all) is
 * loaded: a child's own start-up is usually the longest step before the agent's first tools/list,
 * and this way it overlaps ours. `refused` names servers that must not start, with the reason
 * (launch configuration drifted from its pin); a missing `${VAR}` refuses a server too.
 */
export function launchAll(
  servers: readonly ServerSpec[],
  root: string,
  parentEnv: NodeJS.ProcessEnv,
  refused: ReadonlyMap<string, string>,
  maxMessageBytes: number,
  log: Logger,
): Map<string, Launch> {
  const launches = new Map<string, Launch>();
  for (const server of servers) {
    const refusal = refused.get(server.name);
    const spec = refusal ? new Error(refusal) : spawnSpecFor(server, root, parentEnv, maxMessageBytes);
    if (spec instanceof Error) {
      launches.set(server.name, spec);
      continue;
    }
    const transport = new ChildTransport(spec, log.child(server.name));
    transport.launch();
    launches.set(server.name, { spec, transport });
  }
  return launches;
}

/** Stops what `launchAll` started, for a start-up that failed before the gateway took the children over. */
export function killAll(launches: ReadonlyMap<string, Launch>): void {
  // A child that already exited is skipped: its process group id may since belong to someone else.
  for (const launch of launches.values()) if (!(launch instanceof Error) && !launch.transport.hasClosed) launch.transport.kill();
}
