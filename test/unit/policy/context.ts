import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { Confirmation, RequestContext, Surface, ToolHints } from '../../../src/chain/types.js';
import { PolicySource } from '../../../src/config/policy-source.js';

/**
 * `sourceWith(yaml)`: a PolicySource over a throwaway project whose policy.yaml is `version: "1"` plus
 * `yaml`. Everything it creates is closed and removed after each test of the calling file.
 */
export function usePolicySources(prefix: string): (yaml: string) => PolicySource {
  const roots: string[] = [];
  const sources: PolicySource[] = [];
  afterEach(() => {
    for (const s of sources.splice(0)) s.close();
    for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
  });
  return (yaml) => {
    const root = mkdtempSync(join(tmpdir(), prefix));
    roots.push(root);
    mkdirSync(join(root, '.rea'));
    writeFileSync(join(root, '.rea/policy.yaml'), `version: "1"\n${yaml}`);
    const source = new PolicySource({ root, watch: false });
    sources.push(source);
    return source;
  };
}

/** A request context for driving one stage directly, as the gateway would build it. */
export function makeContext(overrides: {
  server?: string;
  name?: string;
  surface?: Surface;
  args?: Record<string, unknown>;
  hints?: ToolHints;
  serverCwd?: string;
  confirm?: (message: string) => Promise<Confirmation>;
  signal?: AbortSignal;
} = {}): RequestContext {
  const server = overrides.server ?? 'fs';
  const name = overrides.name ?? 'read_file';
  return {
    callId: 'call-1',
    sessionId: 'session-1',
    surface: overrides.surface ?? 'tool',
    server,
    name,
    exposedName: `${server}__${name}`,
    params: {},
    args: overrides.args ?? {},
    hints: overrides.hints ?? {},
    serverCwd: overrides.serverCwd ?? process.cwd(),
    tier: 'write',
    autonomy: 'L0',
    signal: overrides.signal ?? new AbortController().signal,
    startedAt: 0,
    decision: { kind: 'allow' },
    metadata: {},
    redactedFields: [],
    confirm: overrides.confirm ?? (async () => 'unsupported'),
    forward: async () => ({ content: [] }),
  };
}

/** Run one stage; report whether it called next(). */
export async function runStage(stage: (ctx: RequestContext, next: () => Promise<void>) => Promise<void>, ctx: RequestContext): Promise<boolean> {
  let reached = false;
  await stage(ctx, async () => {
    reached = true;
  });
  return reached;
}
