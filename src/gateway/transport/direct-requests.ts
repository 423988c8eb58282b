import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { RequestExtra } from './progress-relay.js';
import { isPlainObject } from '../../plain-object.js';
import { RequestCancellation } from './cancellation.js';
import { IdTable } from '../../id-table.js';

export interface DirectHandler {
  /** Whether this request is ordinary enough to answer here; anything else goes to the SDK server. */
  accepts(params: Record<string, unknown>): boolean;
  handle(params: Record<string, unknown>, extra: RequestExtra): Promise<Record<string, unknown>>;
}

type RequestId = string | number;

interface Incoming {
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: unknown;
}

/**
 * The agent's hot requests (tools/call) answered straight off the upstream transport. The SDK
 * server validates every message against the protocol schemas and builds a context of closures
 * per request before a handler runs, which costs more than the chain itself. The semantics are
 * the SDK's: the handler gets an abort signal (made only if asked for: `cancellation` is the cheap
 * form, cancellation.ts), the request's `_meta` and a way to notify (progress);
 * a cancelled request gets no response; errors carry their `code`, `message` and `data`.
 * Params that are not an object are answered Invalid params here; what a handler does not accept
 * (task-augmented calls) and a request whose id is already in flight go to the SDK server.
 */
export class DirectRequests {
  private readonly running = new IdTable<RequestCancellation>();

  constructor(
    private readonly handlers: ReadonlyMap<string, DirectHandler>,
    private readonly send: (message: JSONRPCMessage) => Promise<void>,
  ) {}

  /** Takes a request (or a cancellation of one) this class answers; false leaves it to the SDK server. */
  take(message: JSONRPCMessage): boolean {
    const { id, method, params } = message as Incoming;
    if (method === 'notifications/cancelled') return this.cancel(params);
    if (typeof method !== 'string' || (typeof id !== 'string' && typeof id !== 'number')) return false;
    const handler = this.handlers.get(method);
    if (!handler || this.running.has(id)) return false;
    if (params !== undefined && !isPlainObject(params)) {
      this.reply(id, undefined, { jsonrpc: '2.0', id, error: { code: ErrorCode.InvalidParams, message: `Invalid params: ${method} takes an object` } });
      return true;
    }
    const fields = params ?? {};
    if (!handler.accepts(fields)) return false;
    this.run(id, handler, fields);
    return true;
  }

  /** The agent's connection closed: every handler still running is told to stop, as the SDK server does. */
  abortAll(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }

  private run(id: RequestId, handler: DirectHandler, params: Record<string, unknown>): void {
    const controller = new RequestCancellation();
    this.running.set(id, controller);
    const meta = params['_meta'];
    const extra = new DirectExtra(controller, id, this.send, isPlainObject(meta) ? meta : undefined);
    handler.handle(params, extra as unknown as RequestExtra).then(
      (result) => this.reply(id, controller, { jsonrpc: '2.0', id, result }),
      (error: unknown) => this.reply(id, controller, { jsonrpc: '2.0', id, error: wireErrorOf(error) }),
    );
  }

  /** Sends `answer` (built whole by the caller, keys in wire order) unless the request was cancelled. */
  private reply(id: RequestId, controller: RequestCancellation | undefined, answer: { jsonrpc: '2.0'; id: RequestId; result?: unknown; error?: unknown }): void {
    if (controller !== undefined && this.running.get(id) === controller) this.running.delete(id);
    if (controller?.aborted) return;
    this.send(answer as JSONRPCMessage).catch(ignoreGone);
  }

  private cancel(params: unknown): boolean {
    if (!isPlainObject(params)) return false;
    const requestId = params['requestId'];
    const controller = typeof requestId === 'string' || typeof requestId === 'number' ? this.running.get(requestId) : undefined;
    if (!controller) return false;
    controller.abort(params['reason']);
    return true;
  }
}

/**
 * What a handler gets with a request: the parts of the SDK's `RequestExtra` rea's handlers read. A
 * class, so the abort signal's getter and the notifier live on the prototype instead of being made
 * per request (an object literal with a getter is built by a runtime call each time).
 */
class DirectExtra {
  constructor(
    readonly cancellation: RequestCancellation,
    readonly requestId: RequestId,
    private readonly send: (message: JSONRPCMessage) => Promise<void>,
    readonly _meta: Record<string, unknown> | undefined,
  ) {}

  get signal(): AbortSignal {
    return this.cancellation.signal;
  }

  sendNotification(notification: { method: string; params?: unknown }): Promise<void> {
    return this.send({ jsonrpc: '2.0', ...notification } as JSONRPCMessage);
  }
}

/** The agent went away; the call's audit record already says how it ended. */
const ignoreGone = (): void => undefined;

function wireErrorOf(error: unknown): { code: number; message: string; data?: unknown } {
  const e = (error ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
  return {
    code: Number.isSafeInteger(e.code) ? (e.code as number) : ErrorCode.InternalError,
    message: typeof e.message === 'string' ? e.message : 'Internal error',
    ...(e.data === undefined ? {} : { data: e.data }),
  };
}

