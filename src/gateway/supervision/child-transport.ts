import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { DownstreamError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import { JsonlReader, isJsonRpcMessage } from '../transport/jsonl-reader.js';
import { StderrLines } from './stderr-lines.js';
import { WriteCoalescer } from '../transport/write-coalescer.js';
import { orphanReaper } from './orphan-reaper.js';

export interface ChildSpec {
  readonly server: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
  readonly maxMessageBytes: number;
  /** Secret values the gateway put into `env` (never logged; scrubbed from output). */
  readonly injectedValues: readonly string[];
}

/** How long each rung of the shutdown ladder waits: close stdin, then SIGTERM, then SIGKILL. */
const LADDER_STEP_MS = 1500;

/**
 * MCP stdio transport to a child we spawn ourselves, so we control its environment (never
 * `process.env`), read its stdout without quadratic buffering, turn its stderr into log lines,
 * and stop it with a kill ladder. Spawns on `launch()` so process start overlaps other work.
 */
export class ChildTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  /** Consulted before `onmessage`: a message it takes (returns true for) is not passed on. */
  intercept?: (message: JSONRPCMessage) => boolean;

  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private closed = false;
  private writer: WriteCoalescer | undefined;
  private readonly stderr: StderrLines;
  exitInfo: { code: number | null; signal: string | null } | undefined;
  /** Why the process could not be started or signalled (spawn ENOENT, EACCES, …). */
  startError: string | undefined;

  constructor(
    private readonly spec: ChildSpec,
    private readonly log: Logger,
  ) {
    this.stderr = new StderrLines(spec.server, log);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The child has exited and its pipes are closed (`onclose` has been called, if it was set). */
  get hasClosed(): boolean {
    return this.closed;
  }

  get lastStderrLine(): string | undefined {
    return this.stderr.last;
  }

  launch(): void {
    if (this.child) return;
    const child = spawn(this.spec.command, [...this.spec.args], {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group, so the kill ladder also reaches what it spawned (`npx` → node server).
      detached: process.platform !== 'win32',
    });
    this.child = child;
    if (child.pid !== undefined) orphanReaper.track(child.pid);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
      // 'error' without 'exit' happens when spawn itself fails (ENOENT); settle either way.
      child.once('error', () => resolve());
    });
    const reader = new JsonlReader(this.spec.maxMessageBytes, (event) => {
      switch (event.kind) {
        case 'message':
          if (!isJsonRpcMessage(event.message)) this.log.warn('Ignored a non-JSON-RPC line on stdout', { server: this.spec.server });
          else this.deliver(event.message as JSONRPCMessage);
          return;
        case 'parse-error':
          this.log.warn('Ignored a line on stdout that is not JSON', { server: this.spec.server, bytes: event.bytes });
          return;
        case 'oversize':
          // We cannot tell which call the message answered, so the call would hang until its
          // timeout: treat it as a broken server instead (calls in flight fail at once, it restarts).
          this.log.error('Oversize message on stdout; stopping the server', {
            server: this.spec.server,
            bytes: event.bytes,
            max_message_bytes: this.spec.maxMessageBytes,
          });
          this.kill();
          return;
        default: {
          const never: never = event;
          return never;
        }
      }
    });
    child.stdout!.on('data', (chunk: Buffer) => reader.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    child.stdin!.on('error', () => {
      // EPIPE after the child died: the 'exit' handler reports it; nothing else to do here.
    });
    child.on('error', (error) => {
      // Kept for the exit description: a child started early may fail before anyone listens here.
      this.startError ??= error.message;
      this.onerror?.(
        new DownstreamError('DOWNSTREAM_EXITED', this.spec.server, `Downstream "${this.spec.server}" could not start: ${error.message}`, {
          cause: error,
        }),
      );
    });
    child.on('close', () => {
      orphanReaper.prune();
      this.stderr.flush();
      this.closed = true;
      this.onclose?.();
    });
  }

  /** A message the SDK chokes on (pathological nesting) is dropped and logged, not allowed to stop the reader. */
  private deliver(message: JSONRPCMessage): void {
    try {
      if (this.intercept?.(message)) return;
      this.onmessage?.(message);
    } catch (error) {
      this.log.error('Dropped a message from stdout that could not be processed', {
        server: this.spec.server,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  async start(): Promise<void> {
    this.launch();
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || stdin.destroyed) {
      return Promise.reject(new DownstreamError('DOWNSTREAM_EXITED', this.spec.server, `Downstream "${this.spec.server}" is not running`));
    }
    this.writer ??= new WriteCoalescer(stdin);
    return this.writer.write(JSON.stringify(message) + '\n');
  }

  /** Close stdin, then SIGTERM, then SIGKILL, waiting a bounded time at each rung. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || !this.exited) return;
    if (this.exitInfo) return;
    child.stdin?.end();
    if (await settlesWithin(this.exited, LADDER_STEP_MS)) return this.signal('SIGTERM', true);
    this.signal('SIGTERM');
    if (await settlesWithin(this.exited, LADDER_STEP_MS)) return this.signal('SIGKILL', true);
    this.log.warn('Downstream ignored SIGTERM; sending SIGKILL', { server: this.spec.server, pid: child.pid });
    this.signal('SIGKILL');
    await this.exited;
  }

  /** Immediate SIGKILL, for a child that misbehaves beyond recovery. */
  kill(): void {
    this.signal('SIGKILL');
  }

  /**
   * Signal the child's whole process group (it leads one: spawned detached), falling back to the
   * child alone. `quiet` after the child exited: reap what it may have left behind in its group.
   */
  private signal(signal: NodeJS.Signals, quiet = false): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(process.platform === 'win32' ? pid : -pid, signal);
    } catch {
      // The group is already gone (ESRCH).
      if (!quiet) this.child?.kill(signal);
    }
  }
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
