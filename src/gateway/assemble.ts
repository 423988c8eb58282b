import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { orderedStages, internalStages } from '../chain/pipeline.js';
import { killSwitch } from '../chain/middleware/kill-switch.js';
import { execute } from '../chain/middleware/execute.js';
import { circuitBreaker } from '../chain/middleware/circuit-breaker.js';
import { tier } from '../chain/middleware/tier.js';
import { policy } from '../chain/middleware/policy.js';
import { confirm } from '../chain/middleware/confirm.js';
import { audit } from '../chain/middleware/audit.js';
import { blockedPaths } from '../chain/middleware/blocked-paths.js';
import { rateLimit } from '../chain/middleware/rate-limit.js';
import { sizeCap } from '../chain/middleware/size-cap.js';
import { auditOptionsFrom, auditStatus, eventRecorder, openAuditLog } from './audit-wiring.js';
import { PolicySource } from '../config/policy-source.js';
import { reaPaths } from '../config/project-paths.js';
import { loadRegistry } from '../config/registry-loader.js';
import { ServerSpecSchema, type ServerSpec } from '../config/registry-schema.js';
import { isHiddenFromList, toolIdentity } from '../policy/autonomy.js';
import { createLogger } from '../observability/logger.js';
import { VERSION } from '../version.js';
import type { GatewayEvent, Governance } from './core.js';
import { Gateway } from './gateway.js';
import { PromotionApprover } from './promotion-approver.js';
import { CatalogReviewer } from './catalog-review.js';
import { checkLaunchPins, scanOptionsSource, watchPins } from './content-security-wiring.js';
import { TofuGate } from '../registry/tofu-gate.js';
import { scanArguments } from '../chain/middleware/scan-arguments.js';
import { scanResult } from '../chain/middleware/scan-result.js';
import type { AuditLog } from '../audit/index.js';

const log = createLogger('serve');

const DEFAULT_STARTUP_BUDGET_MS = 5_000;
const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface ServeOptions {
  readonly root: string;
  readonly wrap?: { command: string[]; name?: string; env?: string[] };
  readonly input?: NodeJS.ReadableStream;
}

/** Load configuration, build the chain, start the gateway on stdio and stop it cleanly on EOF or signal. */
export async function startServe(options: ServeOptions): Promise<void> {
  const paths = reaPaths(options.root);
  const servers = options.wrap ? [wrapSpec(options.wrap)] : loadRegistry(paths.registry).servers.filter((s) => s.enabled);
  const sessionId = randomUUID();
  let auditLog: AuditLog | undefined;
  const toAudit = eventRecorder(() => auditLog);
  const record = (event: GatewayEvent): void => {
    log.info(event.event, { server: event.server, ...event.detail });
    void toAudit(event);
  };
  let gateway: Gateway | undefined;
  let approver: PromotionApprover | undefined;
  const policySource = new PolicySource({
    root: paths.root,
    onEvent: (event) => {
      const failed = event.kind === 'reload_failed';
      record({ event: `rea.policy.${event.kind}`, ...(failed ? { status: 'error' as const } : {}), detail: { ...event } });
      if (event.kind === 'reloaded' || event.kind === 'promotion_confirmed') auditLog?.setOptions(auditOptionsFrom(current().policy, sessionId, signingKey));
      if (event.kind === 'promotion_pending' && policySource.pendingPromotion) approver?.onPending(policySource.pendingPromotion);
      gateway?.refreshState();
    },
  });
  /** The policy in force; a held raise may be settled from a terminal in between (`rea promote`). */
  const current = () => {
    if (policySource.pendingPromotion) approver?.checkTerminalDecision();
    return policySource.current();
  };
  approver = new PromotionApprover(policySource, paths.dir, () => gateway!.core.server, () => policySource.current().policy.confirm.timeout_ms);
  const opened = await openAuditLog(paths, current().policy, sessionId);
  auditLog = opened.log;
  const signingKey = opened.key;
  const byName = new Map(servers.map((s) => [s.name, s]));
  const mode = options.wrap ? 'wrap' : 'multi';

  const governance: Governance = {
    autonomy: () => current().autonomy,
    circuit: () => {
      const cb = current().policy.circuit_breaker;
      return { failureThreshold: cb.failure_threshold, cooldownMs: cb.cooldown_ms, halfOpenMaxCalls: cb.half_open_max_calls, countTimeouts: cb.count_timeouts };
    },
    exposeErrors: () => {
      const g = current().policy.gateway;
      return g.expose_errors || g.health?.expose_diagnostics === true;
    },
    // Policy globs always name tools `<server>__<tool>`, in wrap mode too (the agent sees bare names there).
    isToolVisible: (server, tool) => !isHiddenFromList(current().compiled, toolIdentity(server, String(tool['name']))),
    isPromptVisible: () => true,
    confirmTimeoutMs: () => current().policy.confirm.timeout_ms,
    callTimeoutMs: () => current().policy.limits.call_timeout_ms,
  };

  const tofu = new TofuGate(paths.fingerprints, { auditTarget: paths.audit });
  const refused = await checkLaunchPins(tofu, servers);
  const scanOptions = scanOptionsSource(current, () => gateway?.injectedSecrets() ?? []);
  const reviewer = new CatalogReviewer(tofu, scanOptions, record);

  const stages = {
    audit: audit(() => auditLog),
    killSwitch: killSwitch(paths.halt),
    tier: tier(current, (server) => byName.get(server)?.tier_overrides),
    policy: policy(current),
    blockedPaths: blockedPaths(current, paths.root),
    rateLimit: rateLimit(current),
    circuitBreaker: circuitBreaker(
      (server) => gateway?.core.downstreams.get(server)?.breaker,
      () => current().policy.circuit_breaker.count_timeouts,
    ),
    confirm: confirm(current),
    scanArguments: scanArguments(scanOptions),
    scanResult: scanResult(scanOptions),
    sizeCap: sizeCap(current),
    execute: execute(),
  };
  const gatewayPolicy = current().policy.gateway;
  gateway = new Gateway({
    mode,
    paths,
    servers,
    sessionId,
    version: VERSION,
    governance,
    stages: { chain: orderedStages(stages), internal: internalStages(stages) },
    record,
    startupBudgetMs: gatewayPolicy.startup_budget_ms ?? DEFAULT_STARTUP_BUDGET_MS,
    shutdownGraceMs: gatewayPolicy.shutdown_grace_ms ?? DEFAULT_SHUTDOWN_GRACE_MS,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    parentEnv: process.env,
    refused,
    reviewCatalog: (server, catalog) => reviewer.review(server, catalog),
    extraStatus: () => ({
      policy: {
        autonomy_level: policySource.current().autonomy,
        version: policySource.current().version,
        pending_promotion: policySource.pendingPromotion ? { from: policySource.pendingPromotion.from, to: policySource.pendingPromotion.to } : null,
        last_error: policySource.lastError ?? null,
      },
      audit: auditLog ? auditStatus(auditLog) : null,
    }),
    onStopped: async () => {
      pinWatcher?.close();
      policySource.close();
      await auditLog?.close();
    },
  });
  const pinWatcher = watchPins(paths, () => gateway!.reReviewCatalogs());
  process.once('SIGTERM', () => void gateway!.shutdown('SIGTERM'));
  process.once('SIGINT', () => void gateway!.shutdown('SIGINT'));
  await gateway.start(process.stdin, process.stdout);
  await gateway.stopped;
  process.exit(0);
}


/** A registry entry for `serve --wrap`: named after the command unless --name says otherwise. */
function wrapSpec(wrap: { command: string[]; name?: string; env?: string[] }): ServerSpec {
  const [command, ...args] = wrap.command;
  const derived = basename(command ?? 'server').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'server';
  const env = Object.fromEntries((wrap.env ?? []).map((name) => [name, `\${${name}}`]));
  return ServerSpecSchema.parse({ name: wrap.name ?? derived, command, args, env });
}
