import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { Confirmation, RequestContext, Surface, ToolHints } from '../../../src/chain/types.js';
import { PolicySource, type LoadedPolicy } from '../../../src/config/policy-source.js';

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

let defaults: { root: string; source: PolicySource } | undefined;
afterAll(() => {
  defaults?.source.close();
  if (defaults) rmSync(defaults.root, { recursive: true, force: true });
  defaults = undefined;
});

/** The built-in policy (no policy.yaml), as a context's snapshot when a test names none. */
export function defaultPolicy(): LoadedPolicy {
  if (!defaults) {
    const root = mkdtempSync(join(tmpdir(), 'rea-default-policy-'));
    defaults = { root, source: new PolicySource({ root, watch: false }) };
  }
  return defaults.source.current();
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
  /** The request's policy snapshot (default: the built-in policy). */
  policy?: LoadedPolicy;
  needsConfirmation?: boolean;
} = {}): RequestContext {
  const policy = overrides.policy ?? defaultPolicy();
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
    policy,
    autonomy: policy.autonomy,
    needsConfirmation: overrides.needsConfirmation ?? false,
    argsDigest: undefined,
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
