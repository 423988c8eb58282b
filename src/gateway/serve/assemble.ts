import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { AuditLog } from '../../audit/index.js';
import { PolicySource } from '../../config/policy-source.js';
import { reaPaths } from '../../config/project-paths.js';
import { loadRegistry } from '../../config/registry-loader.js';
import { ServerSpecSchema, type ServerSpec } from '../../config/registry-schema.js';
import { createLogger } from '../../observability/logger.js';
import type { PolicyState } from '../../observability/serve-state.js';
import { TofuGate } from '../../registry/tofu-gate.js';
import { VERSION } from '../../version.js';
import { auditOptionsFrom, auditStatus, eventRecorder, openAuditLog, recordScrubber, refusalRecorder } from './audit-wiring.js';
import { CatalogReviewer } from './catalog-review.js';
import { classifyTier } from '../../policy/tier-classifier.js';
import { qualify } from '../../policy/qualified-name.js';
import { checkLaunchPins, scanOptionsSource, watchPins } from './content-security-wiring.js';
import type { GatewayEvent } from '../../audit/gateway-event.js';
import type { Gateway } from './gateway.js';
import { policyGovernance } from './governance.js';
import { killAll, launchAll } from '../supervision/launch.js';
import { PromotionApprover } from './promotion-approver.js';
import { wireTelemetry } from './telemetry-wiring.js';


const log = createLogger('serve');

const DEFAULT_STARTUP_BUDGET_MS = 5_000;
const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const NO_SECRETS: readonly string[] = [];

/** Parts bound once they exist; callers reach them through this object and never before. */
interface Late {
  gateway?: Gateway;
  auditLog?: AuditLog;
  approver?: PromotionApprover;
}

export interface ServeOptions {
  readonly root: string;
  /** `serve --wrap`: one server, names unchanged; `env` names are forwarded to it deliberately. */
  readonly wrap?: { command: string[]; name?: string; env?: string[] };
}

/**
 * Load configuration, build the chain, run the gateway on stdio, and stop it cleanly on stdin EOF,
 * SIGTERM or SIGINT. Several parts need the gateway and the gateway needs them, so they reach it
 * through `late.gateway`, bound once it exists; none of them is called before that.
 */
export async function startServe(options: ServeOptions): Promise<void> {
  const paths = reaPaths(options.root);
  const servers = options.wrap ? [wrapSpec(options.wrap)] : loadRegistry(paths.registry).servers.filter((s) => s.enabled);
  const sessionId = randomUUID();
  const late: Late = {};
  const toAudit = eventRecorder(() => late.auditLog);
  const record = (event: GatewayEvent): void => {
    log.info(event.event, { server: event.server, ...event.detail });
    void toAudit(event);
  };
  const policySource = new PolicySource({
    root: paths.root,
    onEvent: (event) => {
      record({ event: `rea.policy.${event.kind}`, ...(event.kind === 'reload_failed' ? { status: 'error' as const } : {}), detail: { ...event } });
      if (event.kind === 'reloaded' || event.kind === 'promotion_confirmed') late.auditLog?.setOptions(auditOptionsFrom(current().policy, sessionId, signingKey, scrubRecord));
      if (event.kind === 'promotion_pending' && policySource.pendingPromotion) late.approver?.onPending(policySource.pendingPromotion);
      late.gateway?.refreshState();
    },
  });
  /** The policy in force; a held raise may have been settled on a terminal meanwhile (`rea promote`). */
  const current = () => {
    if (policySource.pendingPromotion) late.approver?.checkTerminalDecision();
    return policySource.current();
  };
  late.approver = new PromotionApprover(policySource, paths.dir, () => late.gateway!.core.server, () => policySource.current().policy.confirm.timeout_ms);
  // Compiled before anything is logged or recorded: log lines and audit records are scrubbed with it.
  const scanOptions = scanOptionsSource(current, () => late.gateway?.injectedSecrets() ?? NO_SECRETS);
  const scrubRecord = recordScrubber(() => scanOptions().redactor);
  const { log: auditLog, key: signingKey } = await openAuditLog(paths, current().policy, sessionId, scrubRecord);
  late.auditLog = auditLog;
  const telemetry = wireTelemetry(current().policy, paths, { auditLog: () => late.auditLog, refreshState: () => late.gateway?.refreshState() });

  const tofu = new TofuGate(paths.fingerprints, { auditTarget: paths.audit });
  const refused = await checkLaunchPins(tofu, servers);
  const launches = launchAll(servers, paths.root, process.env, refused, MAX_MESSAGE_BYTES, createLogger('gateway'));
  // The gateway stops its children on every orderly exit; this covers a start-up that fails from here on.
  process.once('exit', () => killAll(launches));
  // Loaded only now, so that loading the MCP SDK overlaps the children's own start-up.
  const [{ Gateway }, { buildPipelines }] = await Promise.all([import('./gateway.js'), import('../../chain/pipeline.js')]);

  const overrides = new Map(servers.map((s) => [s.name, s.tier_overrides]));
  const reviewer = new CatalogReviewer(tofu, scanOptions, record, (server, tool) => {
    const name = String(tool['name']);
    const hints = (tool['annotations'] ?? {}) as { readOnlyHint?: boolean; destructiveHint?: boolean };
    return classifyTier({ tool: name, exposedName: qualify(server, name), hints }, current().compiled, overrides.get(server)).tier;
  });
  const pipelines = buildPipelines({
    root: paths.root,
    haltPath: paths.halt,
    tierOverrides: (server) => overrides.get(server),
    auditLog: () => auditLog,
    requestObserver: () => telemetry.requestObserver(),
    scanOptions,
    breakerOf: (server) => late.gateway?.core.downstreams.get(server)?.breaker,
  });
  const gatewayPolicy = current().policy.gateway;
  const pinWatcher = watchPins(paths, () => late.gateway!.reReviewCatalogs());
  const running = new Gateway({
    mode: options.wrap ? 'wrap' : 'multi',
    paths,
    servers,
    sessionId,
    version: VERSION,
    governance: policyGovernance(current),
    pipelines,
    record,
    scrub: (value) => scanOptions().redactor.redactValue(value, 'notification').value as typeof value,
    recordRefusal: refusalRecorder(() => auditLog, () => current().autonomy),
    startupBudgetMs: gatewayPolicy.startup_budget_ms ?? DEFAULT_STARTUP_BUDGET_MS,
    shutdownGraceMs: gatewayPolicy.shutdown_grace_ms ?? DEFAULT_SHUTDOWN_GRACE_MS,
    maxMessageBytes: MAX_MESSAGE_BYTES,
    launches,
    reviewCatalog: (server, catalog) => reviewer.review(server, catalog),
    extraStatus: () => ({ policy: policyStatus(policySource), audit: auditStatus(auditLog), telemetry: telemetry.status() }),
    extraHealth: () => telemetry.health(),
    onStopped: async () => {
      pinWatcher?.close();
      policySource.close();
      await telemetry.stop();
      await auditLog.close();
    },
  });
  late.gateway = running;
  process.once('SIGTERM', () => void running.shutdown('SIGTERM'));
  process.once('SIGINT', () => void running.shutdown('SIGINT'));
  // A bug must not take the agent's tools down silently: log it loudly; an exception that escaped
  // every handler leaves the process in an unknown state, so stop cleanly (children, files, audit).
  process.on('unhandledRejection', (reason) => log.error('Unhandled promise rejection (a bug in rea)', { error: String(reason) }));
  process.once('uncaughtException', (error) => {
    log.error('Uncaught exception (a bug in rea); shutting down', { error: error.stack ?? error.message });
    process.exitCode = 1;
    void running.shutdown('uncaught exception');
  });
  // Every request is traced: serving waits for telemetry, whose SDK loaded alongside the children's start-up.
  await telemetry.ready;
  await running.start(process.stdin, process.stdout);
  await running.stopped;
  process.exit(process.exitCode ?? 0);
}

function policyStatus(source: PolicySource): PolicyState {
  const loaded = source.current();
  const pending = source.pendingPromotion;
  return {
    autonomy_level: loaded.autonomy,
    version: loaded.version,
    pending_promotion: pending ? { from: pending.from, to: pending.to } : null,
    last_error: source.lastError ?? null,
  };
}

/** A registry entry for `serve --wrap`: named after the command unless --name says otherwise. */
function wrapSpec(wrap: { command: string[]; name?: string; env?: string[] }): ServerSpec {
  const [command, ...args] = wrap.command;
  const derived = basename(command ?? 'server').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'server';
  const env = Object.fromEntries((wrap.env ?? []).map((name) => [name, `\${${name}}`]));
  return ServerSpecSchema.parse({ name: wrap.name ?? derived, command, args, env });
}
