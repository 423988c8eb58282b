import { mkdirSync, rmSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { InitializeRequestSchema, type InitializeResult } from '@modelcontextprotocol/sdk/types.js';
import type { Pipelines } from '../../chain/pipeline.js';
import type { ServerSpec } from '../../config/registry-schema.js';
import type { ReaPaths } from '../../config/project-paths.js';
import { createLogger } from '../../observability/logger.js';
import { writeFileAtomic } from '../../atomic-write.js';
import { StateFile } from '../../observability/state-file.js';
import type { ServeState } from '../../observability/serve-state.js';
import { createClientBridge } from '../surfaces/client-bridge.js';
import type { GatewayEvent } from '../../audit/gateway-event.js';
import type { GatewayCore, Governance, Refusal } from '../surfaces/core.js';
import { Downstream } from '../supervision/downstream.js';
import type { UpstreamBridge } from '../supervision/upstream-bridge.js';
import { registerMiscSurface } from '../surfaces/misc-surface.js';
import { registerPromptsSurface } from '../surfaces/prompts-surface.js';
import { registerResourcesSurface } from '../surfaces/resources-surface.js';
import { Router, type GatewayMode } from '../surfaces/router.js';
import { registerToolsSurface } from '../surfaces/tools-surface.js';
import { registerTasksSurface, TaskOwners } from '../surfaces/tasks-surface.js';
import { UpstreamTransport } from '../transport/upstream-transport.js';
import { DirectRequests, type DirectHandler } from '../transport/direct-requests.js';
import type { Launch } from '../supervision/launch.js';
import { statusSnapshot } from './status-snapshot.js';
import { InFlight } from '../surfaces/in-flight.js';
import { SHARED_VALIDATOR } from '../transport/lazy-validator.js';
import { initializeAnswer } from './initialize-answer.js';

const log = createLogger('gateway');

export interface GatewayConfig {
  readonly mode: GatewayMode;
  readonly paths: ReaPaths;
  readonly servers: readonly ServerSpec[];
  readonly sessionId: string;
  readonly version: string;
  readonly governance: Governance;
  readonly pipelines: Pipelines;
  readonly record: (event: GatewayEvent) => void;
  readonly recordRefusal?: (refusal: Refusal) => Promise<void>;
  readonly scrub?: <T>(value: T) => T;
  readonly startupBudgetMs: number;
  readonly shutdownGraceMs: number;
  readonly maxMessageBytes: number;
  /** Every server's child, already started, or why it must not run (launch.ts). */
  readonly launches: ReadonlyMap<string, Launch>;
  /** Filter each catalog before the agent sees it (TOFU pins, quarantine); default: show everything. */
  readonly reviewCatalog?: UpstreamBridge['review'];
  /** Extra live state for `rea status` (policy and audit health), merged into serve.state.json. */
  readonly extraStatus?: () => Pick<ServeState, 'policy' | 'audit' | 'telemetry'>;
  /** Extra entries for the health tool (telemetry export state). */
  readonly extraHealth?: () => Record<string, unknown>;
  /** Called once every child has been stopped and the files removed. */
  readonly onStopped?: () => Promise<void>;
}

/** Wires the upstream MCP server, the downstream pool and the chain. Decides nothing itself. */
export class Gateway {
  readonly core: GatewayCore;
  private readonly stateFile: StateFile;
  private readonly toolsCall: DirectHandler;
  private connecting: Promise<void> | undefined;
  /** Set by the client's `notifications/initialized`: list_changed goes up only after it. */
  private clientInitialized = false;
  private resolveReady!: () => void;
  private stopping: Promise<void> | undefined;
  private resolveStopped!: () => void;
  /** Resolves once shutdown has finished: every child stopped, pid and state files removed. */
  readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  constructor(private readonly config: GatewayConfig) {
    const server = new Server(
      { name: 'rea', version: config.version },
      {
        capabilities: {
          tools: { listChanged: true },
          resources: { subscribe: true, listChanged: true },
          prompts: { listChanged: true },
          logging: {},
          completions: {},
          tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
        },
        jsonSchemaValidator: SHARED_VALIDATOR,
        debouncedNotificationMethods: [
          'notifications/tools/list_changed',
          'notifications/prompts/list_changed',
          'notifications/resources/list_changed',
        ],
      },
    );
    const downstreams = new Map<string, Downstream>();
    const ready = new Promise<void>((resolve) => (this.resolveReady = resolve));
    this.stateFile = new StateFile(config.paths.state, () => ({ ...statusSnapshot(this.core, config.paths), ...config.extraStatus?.() }));
    const bridge = createClientBridge(
      () => this.core,
      () => this.stateFile.schedule(),
      config.reviewCatalog ?? (async (_server, catalog) => ({ catalog, withheld: new Map() })),
      () => this.clientInitialized,
    );
    server.oninitialized = () => {
      this.clientInitialized = true;
    };
    for (const spec of config.servers) {
      const child = config.launches.get(spec.name) ?? new Error(`Server "${spec.name}" was not launched`);
      if (child instanceof Error) {
        log.error(child.message, { server: spec.name });
        config.record({ event: 'rea.downstream.refused', server: spec.name, status: 'error', detail: { reason: child.message } });
      }
      downstreams.set(
        spec.name,
        new Downstream(spec, child, bridge, () => config.governance.circuit(), log.child(spec.name), () => config.governance.callTimeoutMs()),
      );
    }
    this.core = {
      sessionId: config.sessionId,
      startedAt: new Date(),
      version: config.version,
      root: config.paths.root,
      haltPath: config.paths.halt,
      server,
      router: new Router(config.mode, downstreams),
      downstreams,
      governance: config.governance,
      pipelines: config.pipelines,
      record: config.record,
      recordRefusal: config.recordRefusal ?? (async () => {}),
      scrub: config.scrub ?? (<T>(value: T) => value),
      ready,
      inFlight: new InFlight(),
      extraHealth: config.extraHealth ?? (() => ({})),
    };
    const tasks = new TaskOwners();
    this.toolsCall = registerToolsSurface(server, this.core, tasks);
    registerTasksSurface(server, this.core, tasks);
    registerResourcesSurface(server, this.core);
    registerPromptsSurface(server, this.core);
    registerMiscSurface(server, this.core);
    this.interceptInitialize(server);
  }

  async start(input: Readable, output: Writable): Promise<void> {
    const transport = new UpstreamTransport(input, output, this.config.maxMessageBytes);
    const direct = new DirectRequests(new Map([['tools/call', this.toolsCall]]), (message) => transport.send(message));
    transport.intercept = (message) => direct.take(message);
    transport.onclose = () => {
      direct.abortAll();
      void this.shutdown('stdin closed');
    };
    await this.core.server.connect(transport);
    mkdirSync(this.config.paths.dir, { recursive: true });
    writeFileAtomic(this.config.paths.pid, String(process.pid));
    this.stateFile.writeNow();
    this.config.record({ event: 'rea.gateway.start', detail: { mode: this.config.mode, servers: [...this.core.downstreams.keys()] } });
    log.info('rea gateway listening on stdio', { session_id: this.config.sessionId, servers: this.core.downstreams.size });
  }

  /** Secret values the gateway injected into children through `env`: scrubbed from everything it emits. */
  injectedSecrets(): readonly string[] {
    // Fixed once the children's environments are built: computed once, not on every scan.
    this.secrets ??= [...this.core.downstreams.values()].flatMap((d) => d.injectedValues);
    return this.secrets;
  }
  private secrets: readonly string[] | undefined;

  /** Re-apply catalog review everywhere (an operator accepted a pinned change). */
  async reReviewCatalogs(): Promise<void> {
    await Promise.allSettled([...this.core.downstreams.values()].map((d) => d.reReview()));
  }

  /** Rewrite serve.state.json soon (debounced): policy or audit state changed. */
  refreshState(): void {
    this.stateFile.schedule();
  }

  /** Downstreams are initialized once the agent's capabilities are known (sampling, roots, …). */
  private interceptInitialize(server: Server): void {
    const original = (server as unknown as { _oninitialize(r: unknown): Promise<InitializeResult> })._oninitialize.bind(server);
    server.setRequestHandler(InitializeRequestSchema, async (request) => {
      const result = await original(request);
      this.connectAll();
      // The answer waits for the servers (at most the startup budget) so it can carry their instructions.
      await this.core.ready;
      return { ...result, ...initializeAnswer(this.config.mode, [...this.core.downstreams.values()]) };
    });
  }

  private connectAll(): void {
    if (this.connecting) return;
    const all = [...this.core.downstreams.values()].map((d) => d.start());
    this.connecting = Promise.allSettled(all).then(() => undefined);
    const budget = setTimeout(() => {
      log.warn('Startup budget spent; late servers will appear through list_changed', { budget_ms: this.config.startupBudgetMs });
      this.resolveReady();
    }, this.config.startupBudgetMs);
    budget.unref();
    void this.connecting.then(() => {
      clearTimeout(budget);
      this.resolveReady();
    });
  }

  /** Stop taking requests, let in-flight calls finish within the grace period, then stop every child. */
  shutdown(reason: string): Promise<void> {
    this.stopping ??= (async () => {
      log.info('Shutting down', { reason, in_flight: this.core.inFlight.count });
      this.core.inFlight.accepting = false;
      this.resolveReady();
      await this.core.inFlight.drained(this.config.shutdownGraceMs);
      await Promise.allSettled([...this.core.downstreams.values()].map((d) => d.stop()));
      this.config.record({ event: 'rea.gateway.stop', detail: { reason } });
      this.stateFile.remove();
      rmSync(this.config.paths.pid, { force: true });
      await this.config.onStopped?.();
      await this.core.server.close().catch(() => {
        // Upstream already gone.
      });
      this.resolveStopped();
    })();
    return this.stopping;
  }
}
