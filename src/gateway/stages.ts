import type { AuditLog } from '../audit/index.js';
import { readHalt } from '../chain/halt-file.js';
import { audit } from '../chain/middleware/audit.js';
import { blockedPaths } from '../chain/middleware/blocked-paths.js';
import { circuitBreaker } from '../chain/middleware/circuit-breaker.js';
import { confirm } from '../chain/middleware/confirm.js';
import { execute } from '../chain/middleware/execute.js';
import { killSwitch } from '../chain/middleware/kill-switch.js';
import { policy } from '../chain/middleware/policy.js';
import { rateLimit } from '../chain/middleware/rate-limit.js';
import { scanArguments } from '../chain/middleware/scan-arguments.js';
import { scanResult } from '../chain/middleware/scan-result.js';
import { sizeCap } from '../chain/middleware/size-cap.js';
import { tier } from '../chain/middleware/tier.js';
import type { Stages } from '../chain/pipeline.js';
import type { RequestObserver } from '../chain/request-observer.js';
import type { LoadedPolicy } from '../config/policy-source.js';
import type { ReaPaths } from '../config/project-paths.js';
import type { ServerSpec } from '../config/registry-schema.js';
import type { ScanOptions } from '../scan/scan-options.js';
import type { CircuitBreaker } from './circuit-breaker.js';

export interface StageDeps {
  readonly paths: ReaPaths;
  readonly servers: readonly ServerSpec[];
  readonly policy: () => LoadedPolicy;
  readonly auditLog: () => AuditLog | undefined;
  /** Telemetry's per-request observer, once telemetry has started (issue 13). */
  readonly requestObserver?: () => RequestObserver | undefined;
  readonly scanOptions: () => ScanOptions;
  readonly breakerOf: (server: string) => CircuitBreaker | undefined;
}

/** Every stage, configured once; their order is pipeline.ts's business, not this file's. */
export function buildStages(deps: StageDeps): Stages {
  const { paths, policy: current } = deps;
  const byName = new Map(deps.servers.map((s) => [s.name, s]));
  return {
    audit: audit(deps.auditLog, deps.requestObserver === undefined ? {} : { observer: deps.requestObserver }),
    killSwitch: killSwitch(paths.halt),
    tier: tier(current, (server) => byName.get(server)?.tier_overrides),
    policy: policy(current),
    blockedPaths: blockedPaths(current, paths.root),
    rateLimit: rateLimit(current),
    circuitBreaker: circuitBreaker(deps.breakerOf, () => current().policy.circuit_breaker.count_timeouts),
    confirm: confirm(current, () => readHalt(paths.halt).kind !== 'absent'),
    scanArguments: scanArguments(deps.scanOptions),
    scanResult: scanResult(deps.scanOptions),
    sizeCap: sizeCap(current),
    execute: execute(),
  };
}
