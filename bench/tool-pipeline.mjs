// The tool pipeline exactly as `rea serve` builds it (serve/assemble.ts), in-process over a project of
// its own, for the benches that measure it (chain.mjs: CPU, alloc.mjs: allocation).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { PolicySource } from '../dist/config/policy-source.js';
import { stageLists } from '../dist/chain/pipeline.js';
import { compose } from '../dist/chain/compose.js';
import { scanOptionsSource } from '../dist/gateway/serve/content-security-wiring.js';
import { AuditLog } from '../dist/audit/index.js';
import { auditOptionsFrom, recordScrubber } from '../dist/gateway/serve/audit-wiring.js';
import { newRequestContext } from '../dist/gateway/surfaces/request-context.js';

export const IN_FLIGHT = 8;
/** One array for the life of the gateway, as `rea serve` passes: a new one per call would recompile the options every call. */
const NO_SECRETS = [];

/**
 * `durability`: the policy's audit durability; `withAudit: false` leaves the audit log out; `only`:
 * the last stage (execute) alone; `telemetry`: `{ requests, audit }` observers, as `rea serve` wires them.
 * Returns `calls(n)`, which makes n calls IN_FLIGHT at a time, yielding to the event loop between groups.
 */
export async function toolPipeline({ durability = 'relaxed', withAudit = true, only = false, telemetry } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'rea-bench-pipeline-'));
  mkdirSync(join(root, '.rea'));
  writeFileSync(join(root, '.rea', 'policy.yaml'), `version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\naudit:\n  durability: ${durability}\n`);
  const source = new PolicySource({ root });
  const current = () => source.current();
  // One scan options source, its redactor scrubbing every record.
  const scanOptions = scanOptionsSource(current, () => NO_SECRETS);
  const scrub = recordScrubber(() => scanOptions().redactor);
  const auditLog = withAudit ? await AuditLog.open(join(root, '.rea', 'audit.jsonl'), auditOptionsFrom(current().policy, 'bench', undefined, scrub)) : undefined;
  if (telemetry?.audit !== undefined) auditLog?.observe(telemetry.audit);
  const lists = stageLists({
    root,
    haltPath: join(root, '.rea', 'HALT'),
    tierOverrides: () => undefined,
    auditLog: () => auditLog,
    scanOptions,
    breakerOf: () => undefined,
    ...(telemetry === undefined ? {} : { requestObserver: () => telemetry.requests }),
  });
  const run = compose(only ? [lists.tool.at(-1)] : lists.tool);
  const core = { sessionId: 'bench', governance: { policy: current } };
  const signal = new AbortController().signal;
  const call = async (i) => {
    const params = { name: 'echo__echo', arguments: { text: `hello ${i}` } };
    const ctx = newRequestContext(core, {
      surface: 'tool', server: 'echo', serverCwd: root, name: 'echo', exposedName: 'echo__echo', params, args: params.arguments,
      hints: { readOnlyHint: true }, signal,
      forward: async (args) => ({ content: [{ type: 'text', text: `Echo: ${args.text}` }] }),
    });
    await run(ctx);
    if (ctx.decision.kind === 'deny') throw new Error(`bench call denied: ${ctx.decision.reason}`);
  };
  return {
    calls: async (n) => {
      for (let i = 0; i < n; i += IN_FLIGHT) {
        await Promise.all(Array.from({ length: IN_FLIGHT }, (_, k) => call(i + k)));
        await nextTurn();
      }
    },
    close: async () => {
      await auditLog?.close();
      source.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
