import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ServerSpec } from '../../config/registry-schema.js';
import { errorMessage, ReaError } from '../../errors.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { isPlainObject } from '../../plain-object.js';
import { scrubText, type Logger } from '../../observability/logger.js';
import { ChildTransport, type ChildSpec } from './child-transport.js';
import type { Launch } from './launch.js';
import { CircuitBreaker, type CircuitOptions } from './circuit-breaker.js';
import { fetchCatalog, listAll } from './list-all.js';
import { declaredCapabilities, installClientHandlers } from './client-handlers.js';
import { AnyResultSchema, type AnyResult } from '../transport/wire-schemas.js';
import { abortSignalOf } from '../transport/cancellation.js';
import type { Cancellation } from '../../chain/types.js';
import type { Catalog, CatalogKind, CatalogList } from '../../registry/catalog.js';
import type { UpstreamBridge } from './upstream-bridge.js';
import { Backoff } from './backoff.js';
import { RequestLane } from './request-lane.js';
import { NotificationBudget } from './notification-budget.js';
import { SHARED_VALIDATOR } from '../transport/lazy-validator.js';
import { VERSION } from '../../version.js';

export type DownstreamState = 'starting' | 'ready' | 'restarting' | 'refused' | 'stopped';
const CATALOG_KINDS: readonly CatalogKind[] = ['tools', 'prompts', 'resources'];

/** One list of a catalog as the agent sees it (resources come with their templates). */
const listJson = (catalog: Catalog, kind: CatalogKind): string =>
  JSON.stringify(kind === 'resources' ? [catalog.resources, catalog.resourceTemplates] : catalog[kind]);

const EMPTY_CATALOG: Catalog = {
  tools: [], prompts: [], resources: [], resourceTemplates: [], instructions: undefined, capabilities: {}, serverInfo: undefined,
};

/**
 * One supervised downstream server: its child process, SDK client, cached catalog and breaker.
 * A crash fails calls in flight at once (the request lane and the SDK client reject them on close;
 * nothing is re-sent, so a write never runs twice), takes its tools off the list, and restarts the
 * child with backoff.
 */
export class Downstream {
  state: DownstreamState = 'starting';
  /** What the agent may see (reviewed); `raw` is what the server advertised. */
  catalog: Catalog = EMPTY_CATALOG;
  private raw: Catalog = EMPTY_CATALOG;
  /** Tools and prompts the review withheld, with the reason (for a clear error if the agent asks). */
  withheld: ReadonlyMap<string, string> = new Map();
  /**
   * Why the server last failed, often its last stderr line: scrubbed when set, because health,
   * `serve.state.json`, `rea status` and the restart record all show it (review finding 7).
   */
  get lastError(): string | undefined {
    return this.lastErrorText;
  }
  set lastError(text: string | undefined) {
    this.lastErrorText = text === undefined ? undefined : scrubText(text);
  }
  private lastErrorText: string | undefined;
  restarts = 0;
  readonly breaker: CircuitBreaker;
  private client: Client | undefined;
  private lane: RequestLane | undefined;
  private transport: ChildTransport | undefined;
  private readonly backoff = new Backoff();
  private readonly notifications: NotificationBudget;
  private stopping = false;
  private refreshing = new Map<CatalogKind, { again: boolean; done: Promise<void> }>();
  /** list_changed seen before the first full fetch finished: refreshed right after it. */
  private refreshAfterConnect = new Set<CatalogKind>();
  private restartTimer: NodeJS.Timeout | undefined;
  /** How to (re)start the child, or why it must not run. */
  private readonly child: ChildSpec | Error;

  constructor(
    readonly spec: ServerSpec,
    launch: Launch,
    private readonly bridge: UpstreamBridge,
    circuit: () => CircuitOptions,
    private readonly log: Logger,
    private readonly policyCallTimeoutMs: () => number | undefined = () => undefined,
  ) {
    this.breaker = new CircuitBreaker(circuit, (from, to) => {
      bridge.circuitChanged(spec.name, from, to);
      bridge.stateChanged(spec.name);
    });
    this.notifications = new NotificationBudget(spec.name, log);
    if (launch instanceof Error) {
      this.child = launch;
      this.state = 'refused';
      this.lastError = launch.message;
    } else {
      this.child = launch.spec;
      this.adopt(launch.transport);
    }
  }

  get name(): string {
    return this.spec.name;
  }

  /** Secret values injected into this child's environment (see registry/child-env.ts). */
  get injectedValues(): readonly string[] {
    return this.child instanceof Error ? [] : this.child.injectedValues;
  }

  get pid(): number | undefined {
    return this.transport?.pid;
  }

  /** First connection, once the agent's capabilities are known; a child that already died is its supervisor's. */
  start(): Promise<void> {
    return this.state === 'starting' ? this.connect() : Promise.resolve();
  }

  /** Watch a child from the moment it is ours: one that exits before its handshake is restarted too. */
  private adopt(transport: ChildTransport): void {
    this.transport = transport;
    transport.onclose = () => this.onTransportClosed(transport);
    // Started early (launch.ts), it may have exited while the rest of the gateway was loading.
    if (transport.hasClosed) queueMicrotask(() => this.onTransportClosed(transport));
  }

  private async connect(): Promise<void> {
    if (this.child instanceof Error || this.stopping) return;
    if (!this.transport) this.adopt(new ChildTransport(this.child, this.log));
    const transport = this.transport!;
    const client = new Client(
      { name: 'rea', version: VERSION },
      { capabilities: declaredCapabilities(this.bridge.clientCapabilities()), jsonSchemaValidator: SHARED_VALIDATOR },
    );
    installClientHandlers(client, this.name, this.bridge, this.notifications, (kind) => void this.refresh(kind));
    const lane = new RequestLane((message) => transport.send(message));
    transport.intercept = (message) => lane.take(message);
    try {
      await client.connect(transport, { timeout: this.spec.startup_timeout_ms });
      this.client = client;
      this.lane = lane;
      this.raw = await fetchCatalog(client, this.spec.startup_timeout_ms);
      await this.applyReview();
      this.state = 'ready';
      this.lastError = undefined;
      this.backoff.succeeded();
      this.log.info('Downstream ready', { server: this.name, pid: transport.pid, tools: this.catalog.tools.length });
      this.bridge.catalogChanged(this.name, ['tools', 'prompts', 'resources']);
      const late = [...this.refreshAfterConnect];
      this.refreshAfterConnect.clear();
      for (const kind of late) void this.refresh(kind);
    } catch (error) {
      // If the child already exited, its exit description (code, last stderr line) is the better error.
      if (this.state !== 'restarting') this.lastError = `initialize failed: ${errorMessage(error)}`;
      this.log.error('Downstream failed to initialize', { server: this.name, error: errorMessage(error) });
      transport.kill();
    } finally {
      this.bridge.stateChanged(this.name);
    }
  }

  /** Forward one request. It fails at once if the child dies while it is in flight (and is never re-sent). */
  request(method: string, params: Record<string, unknown>, signal: Cancellation, onprogress?: (p: Record<string, unknown>) => void): Promise<AnyResult> {
    const client = this.client;
    const lane = this.lane;
    if (!client || !lane || this.state !== 'ready') return Promise.reject(new Error(`Downstream "${this.name}" is ${this.state}`));
    const timeoutMs = Math.min(this.spec.call_timeout_ms, this.policyCallTimeoutMs() ?? Infinity);
    // Tasks stay with the SDK client: it tracks a task's result and progress beyond the first response.
    if (method.startsWith('tasks/') || params['task'] !== undefined) {
      return client
        .request({ method, params } as never, AnyResultSchema, {
          signal: abortSignalOf(signal),
          timeout: timeoutMs,
          resetTimeoutOnProgress: true,
          maxTotalTimeout: this.spec.max_call_ms,
          ...(onprogress ? { onprogress: onprogress as never } : {}),
        })
        .catch((error: unknown) => {
          throw sdkFailure(error, signal, this.client !== client);
        });
    }
    return lane.request(method, params, { signal, timeoutMs, maxTotalMs: this.spec.max_call_ms, onprogress });
  }

  notify(method: string, params?: Record<string, unknown>): void {
    void this.client?.notification({ method, ...(params ? { params } : {}) } as never).catch(() => {
      // The child may be going away; its close handler reports that.
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.state = 'stopped';
    await this.transport?.close();
  }

  /** Whether `item` is exactly as the server advertised it in the catalog the gateway last reviewed. */
  advertises(list: CatalogList, item: unknown): boolean {
    const known = this.advertisedJson(list);
    return known.has(JSON.stringify(item));
  }

  private advertisedCache: { raw: Catalog; sets: Map<CatalogList, Set<string>> } | undefined;
  private advertisedJson(list: CatalogList): Set<string> {
    if (this.advertisedCache?.raw !== this.raw) this.advertisedCache = { raw: this.raw, sets: new Map() };
    let set = this.advertisedCache.sets.get(list);
    if (!set) {
      set = new Set(this.raw[list].map((item) => JSON.stringify(item)));
      this.advertisedCache.sets.set(list, set);
    }
    return set;
  }

  /** The server changed a list, whether it said so (`list_changed`) or the gateway noticed. */
  listChanged(kind: CatalogKind): void {
    void this.refresh(kind);
  }

  /**
   * Re-fetch one list after the downstream says it changed. A flood is coalesced: at most one
   * refresh runs per list and one more is queued, however many notifications arrive while it runs
   * (THREAT_MODEL.md T16), so work and memory stay bounded by the refreshes, not the notifications.
   */
  private refresh(kind: CatalogKind): Promise<void> {
    // Until the first full fetch is reviewed, a partial catalog must not be pinned (TOFU first sight).
    if (this.state !== 'ready') {
      this.refreshAfterConnect.add(kind);
      return Promise.resolve();
    }
    const running = this.refreshing.get(kind);
    if (running) {
      running.again = true;
      return running.done;
    }
    const client = this.client;
    if (!client) return Promise.resolve();
    const entry: { again: boolean; done: Promise<void> } = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      do {
        entry.again = false;
        await this.refreshOnce(client, kind);
      } while (entry.again && this.client === client);
    })().finally(() => this.refreshing.delete(kind));
    this.refreshing.set(kind, entry);
    return entry.done;
  }

  /** One refresh of one list; the agent hears of it only when what it may see changed. */
  private async refreshOnce(client: Client, kind: CatalogKind): Promise<void> {
    try {
      const timeout = this.spec.startup_timeout_ms;
      const before = this.catalog;
      if (kind === 'tools') this.raw = { ...this.raw, tools: await listAll(client, 'tools/list', timeout) };
      if (kind === 'prompts') this.raw = { ...this.raw, prompts: await listAll(client, 'prompts/list', timeout) };
      if (kind === 'resources') {
        const [resources, resourceTemplates] = await Promise.all([
          listAll(client, 'resources/list', timeout),
          listAll(client, 'resources/templates/list', timeout),
        ]);
        this.raw = { ...this.raw, resources, resourceTemplates };
      }
      if (this.client !== client) return;
      await this.applyReview();
      if (listJson(before, kind) !== listJson(this.catalog, kind)) this.bridge.catalogChanged(this.name, [kind]);
    } catch (error) {
      this.log.warn('Could not refresh a list after list_changed', { server: this.name, list: kind, error: errorMessage(error) });
    }
  }

  /**
   * Re-apply the review to what the server last advertised (an operator accepted a change). Only
   * lists that came out different are announced: the pins file also changes when the gateway itself
   * pins a first sight, and the agent must not be sent to re-list for nothing.
   */
  async reReview(): Promise<void> {
    if (this.state !== 'ready') return;
    const before = this.catalog;
    await this.applyReview();
    const changed = CATALOG_KINDS.filter((kind) => listJson(before, kind) !== listJson(this.catalog, kind));
    this.log.debug('Catalog reviewed again after a pins change', { server: this.name, changed });
    if (changed.length > 0) this.bridge.catalogChanged(this.name, changed);
  }

  private async applyReview(): Promise<void> {
    const reviewed = await this.bridge.review(this.name, this.raw);
    this.catalog = reviewed.catalog;
    this.withheld = reviewed.withheld;
  }

  private onTransportClosed(transport: ChildTransport): void {
    if (transport !== this.transport) return;
    const lane = this.lane;
    this.client = undefined;
    this.lane = undefined;
    this.transport = undefined;
    // Calls in flight fail at once, never re-sent (the rejections run after lastError is set below).
    lane?.closeAll();
    const hadCatalog = this.catalog.tools.length + this.catalog.prompts.length + this.catalog.resources.length > 0;
    this.catalog = { ...EMPTY_CATALOG };
    this.raw = this.catalog;
    if (this.stopping) return;
    const reason = scrubText(this.describeExitOf(transport));
    this.lastErrorText = reason;
    this.state = 'restarting';
    this.log.error(reason, { server: this.name });
    if (hadCatalog) this.bridge.catalogChanged(this.name, ['tools', 'prompts', 'resources']);
    this.bridge.stateChanged(this.name);
    const delay = this.backoff.next();
    this.restartTimer = setTimeout(() => {
      this.restarts += 1;
      this.bridge.restarted(this.name, this.restarts, reason);
      void this.connect();
    }, delay);
    this.restartTimer.unref();
  }

  private describeExitOf(transport: ChildTransport): string {
    if (transport.startError !== undefined && transport.exitInfo === undefined) {
      return `Downstream "${this.name}" could not start: ${transport.startError}`;
    }
    const info = transport.exitInfo;
    const how = info ? (info.signal ? `with signal ${info.signal}` : `with code ${info.code}`) : 'unexpectedly';
    const tail = transport.lastStderrLine;
    return `Downstream "${this.name}" exited ${how}${tail ? `: ${tail}` : ''}`;
  }
}

/**
 * The SDK client reports its own timeout and close with the codes a server may also send (-32001,
 * -32000); they become ReaErrors like the request lane's, so a server's own error passes as sent.
 * The SDK marks its timeouts with `data.timeout` or `data.maxTotalTimeout`.
 */
function sdkFailure(error: unknown, signal: Cancellation, connectionGone: boolean): unknown {
  if (!(error instanceof McpError) || signal.aborted) return error;
  if (error.code === ErrorCode.ConnectionClosed && connectionGone) {
    return new ReaError('DOWNSTREAM_EXITED', 'The connection closed while the request was in flight', { cause: error });
  }
  const data = error.data;
  if (error.code === ErrorCode.RequestTimeout && isPlainObject(data) && ('timeout' in data || 'maxTotalTimeout' in data)) {
    return new ReaError('DOWNSTREAM_TIMEOUT', error.message, { cause: error });
  }
  return error;
}
