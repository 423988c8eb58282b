import { resolve } from 'node:path';
import type { ServerSpec } from '../../config/registry-schema.js';
import { buildChildEnv } from '../../registry/child-env.js';
import type { ChildSpec } from './child-transport.js';

/** How to launch a registry entry, or why it must not be launched (missing `${VAR}`, …). */
export function spawnSpecFor(spec: ServerSpec, root: string, parentEnv: NodeJS.ProcessEnv, maxMessageBytes: number): ChildSpec | Error {
  try {
    const { env, injectedValues } = buildChildEnv(spec, parentEnv);
    return {
      server: spec.name,
      command: spec.command,
      args: spec.args,
      env,
      cwd: spec.cwd ? resolve(root, spec.cwd) : root,
      maxMessageBytes: Math.min(spec.max_message_bytes, maxMessageBytes),
      injectedValues,
    };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
