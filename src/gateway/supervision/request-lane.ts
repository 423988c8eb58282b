import { ErrorCode, McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ReaError } from '../../errors.js';
import { isPlainObject } from '../../plain-object.js';
import { DeadlineSweep } from '../../deadline-sweep.js';
import { IdTable } from '../../id-table.js';
import type { Cancellation } from '../../chain/types.js';

export interface LaneOptions {
  readonly signal: Cancellation;
  /** Idle timeout: restarted by each progress notification, up to `maxTotalMs` in all. */
  readonly timeoutMs: number;
  readonly maxTotalMs?: number | undefined;
  readonly onprogress?: ((progress: Record<string, unknown>) => void) | undefined;
}

interface Pending {
  readonly id: string;
  /** The number in `id`, its key in the lane's table. */
  readonly n: number;
  readonly resolve: (result: Record<string, unknown>) => void;
  readonly reject: (error: Error) => void;
  readonly options: LaneOptions;
  readonly startedAt: number;
  /** Date.now() at which the idle timeout fails it; moved on by each progress notification. */
  deadline: number;
  readonly onAbort: () => void;
  readonly token: string | number | undefined;
  /** Its place in the lane's deadline sweep while it waits (deadline-sweep.ts). */
  sweepSlot: number | undefined;
}

/**
 * Our ids are strings and the SDK client's are numbers, so the two never collide on one connection.
 * Longer than 10 characters: V8's JSON.parse interns shorter string values, so each answer's id
 * would cost a string-table lookup and a string in the old generation.
 */
const ID_PREFIX = 'rea-request-';

const ONCE = { once: true } as const;

/**
 * Forwarded requests on their own lane beside the SDK client sharing the child's connection. The
 * client validates every incoming message against the protocol schemas before dispatching it and
 * sets up timers, handler maps and listeners per request; for the gateway's hot path (a request
 * in, its result out, passed on as the server sent it) that costs more than the whole chain.
 * Semantics follow the SDK's: progress relayed by token, an idle timeout reset by
 * progress up to a maximum, cancellation sent on abort, everything in flight failed on close.
 */
export class RequestLane {
  /** By the number in the request's id (`rea-request-<n>`): a number key costs no string per call (id-table.ts). */
  private readonly pending = new IdTable<Pending>();
  /** Progress token sent downstream → the lane id of its request. */
  private readonly byToken = new IdTable<string>();
  private nextId = 0;
  private readonly timeouts = new DeadlineSweep<Pending>((entry) =>
    this.cancel(entry.id, new ReaError('DOWNSTREAM_TIMEOUT', `No answer or progress within ${entry.options.timeoutMs} ms`)),
  );

  constructor(private readonly send: (message: JSONRPCMessage) => Promise<void>) {}

  request(method: string, params: Record<string, unknown>, options: LaneOptions): Promise<Record<string, unknown>> {
    if (options.signal.aborted) return Promise.reject(cancelled(options.signal.reason));
    const n = (this.nextId += 1);
    const id = `${ID_PREFIX}${n}`;
    const agent = agentToken(params);
    const token = options.onprogress ? this.progressTokenFor(agent, id) : undefined;
    const withToken = token === undefined || token === agent ? params : { ...params, _meta: { ...(params['_meta'] as object | undefined), progressToken: token } };
    return new Promise((resolve, reject) => {
      const onAbort = (): void => this.cancel(id, cancelled(options.signal.reason));
      const entry: Pending = { id, n, resolve, reject, options, startedAt: Date.now(), deadline: 0, onAbort, token, sweepSlot: undefined };
      this.pending.set(n, entry);
      if (token !== undefined) this.byToken.set(token, id);
      options.signal.addEventListener('abort', onAbort, ONCE);
      this.arm(entry);
      this.send({ jsonrpc: '2.0', id, method, params: withToken } as JSONRPCMessage).catch((error: unknown) => {
        this.settle(id)?.reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Takes a message meant for this lane (a response to one of its requests, or their progress); false otherwise. */
  take(message: JSONRPCMessage): boolean {
    const m = message as { id?: unknown; method?: unknown; params?: { progressToken?: unknown } };
    // Late answers to requests already cancelled or timed out are ours too: dropped here, quietly.
    if (m.method === undefined) {
      if (!isLaneId(m.id)) return false;
      this.answer(m.id, message as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } });
      return true;
    }
    if (m.method !== 'notifications/progress') return false;
    const token = m.params?.progressToken;
    const id = typeof token === 'string' || typeof token === 'number' ? this.byToken.get(token) : undefined;
    // Progress for one of our requests that already ended is dropped quietly, like a late answer.
    if (id === undefined) return isLaneId(token);
    this.progress(id, m.params as Record<string, unknown>);
    return true;
  }

  /**
   * The server sees the agent's own progress token, as it would without rea, unless a request of
   * this lane already uses it (the agent reused it) or it looks like a lane id; then the request's
   * lane id stands in, and progress is relayed back under the agent's token anyway.
   */
  private progressTokenFor(agent: string | number | undefined, id: string): string | number {
    return agent === undefined || this.byToken.has(agent) || isLaneId(agent) ? id : agent;
  }

  /** The connection is gone: everything in flight fails at once, as the SDK client's requests do. */
  closeAll(): void {
    for (const entry of this.pending.values()) this.settle(entry.id)?.reject(new ReaError('DOWNSTREAM_EXITED', 'The connection closed while the request was in flight'));
  }

  private answer(id: string, response: { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } }): void {
    const entry = this.settle(id);
    if (!entry) return;
    const { result, error } = response;
    if (error !== undefined) {
      const code = typeof error.code === 'number' ? error.code : ErrorCode.InternalError;
      entry.reject(new McpError(code, String(error.message ?? 'Unknown error'), error.data));
    } else if (isPlainObject(result)) {
      entry.resolve(result);
    } else {
      entry.reject(new McpError(ErrorCode.InvalidParams, 'Invalid result from the server: expected an object'));
    }
  }

  private progress(id: string, params: Record<string, unknown>): void {
    const entry = this.entryOf(id);
    if (!entry) return;
    const progress = { ...params };
    delete progress['progressToken'];
    const { maxTotalMs } = entry.options;
    const elapsed = Date.now() - entry.startedAt;
    if (maxTotalMs !== undefined && elapsed >= maxTotalMs) {
      this.cancel(id, new ReaError('DOWNSTREAM_TIMEOUT', `No answer within the maximum of ${maxTotalMs} ms (progress does not extend it further)`));
      return;
    }
    this.arm(entry);
    entry.options.onprogress?.(progress);
  }

  /** (Re)starts the idle timeout: one timer serves every request of the lane (deadline-sweep.ts). */
  private arm(entry: Pending): void {
    entry.deadline = Date.now() + entry.options.timeoutMs;
    this.timeouts.watch(entry);
  }

  /** Tells the server to stop (MCP cancellation) and fails the request with `reason`. */
  private cancel(id: string, reason: ReaError): void {
    const entry = this.settle(id);
    if (!entry) return;
    this.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: reason.message } } as JSONRPCMessage).catch(() => {
      // The child is going away; its close fails whatever else is in flight.
    });
    entry.reject(reason);
  }

  /** Removes a request from the lane exactly once; later answers for it are ignored. */
  private settle(id: string): Pending | undefined {
    const entry = this.entryOf(id);
    if (!entry) return undefined;
    this.pending.delete(entry.n);
    if (entry.token !== undefined) this.byToken.delete(entry.token);
    this.timeouts.forget(entry);
    entry.options.signal.removeEventListener('abort', entry.onAbort);
    return entry;
  }

  private entryOf(id: string): Pending | undefined {
    const n = laneNumber(id);
    return n === undefined ? undefined : this.pending.get(n);
  }
}

/** `<n>` of a lane id `rea-request-<n>` as the lane writes it (no sign, no leading zero), else undefined. */
function laneNumber(id: string): number | undefined {
  const start = ID_PREFIX.length;
  if (!id.startsWith(ID_PREFIX) || id.length === start || id.length > start + 15 || (id.charCodeAt(start) === 48 && id.length > start + 1)) return undefined;
  let n = 0;
  for (let i = start; i < id.length; i += 1) {
    const digit = id.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    n = n * 10 + digit;
  }
  return n;
}

function isLaneId(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ID_PREFIX);
}

function agentToken(params: Record<string, unknown>): string | number | undefined {
  const meta = params['_meta'];
  const token = isPlainObject(meta) ? meta['progressToken'] : undefined;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}

/**
 * The lane's own failures are ReaErrors, so they can never be mistaken for an error the server sent:
 * -32000 and -32001 are both the SDK's close/timeout codes and the server-defined range's first codes.
 */
function cancelled(reason: unknown): ReaError {
  return new ReaError('REQUEST_CANCELLED', `Request cancelled: ${reason instanceof Error ? reason.message : String(reason)}`, { cause: reason });
}
