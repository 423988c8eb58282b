import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { afterEach } from 'vitest';
import { CLI, type TempRepo } from './temp-repo.js';

export interface RunningGateway {
  readonly client: Client;
  readonly transport: StdioClientTransport;
  readonly pid: number;
  /** Every stderr line the gateway wrote so far. */
  readonly stderr: string[];
  close(): Promise<void>;
}

export interface StartOptions {
  readonly root: string;
  readonly args?: string[];
  readonly env?: Record<string, string>;
  readonly capabilities?: ClientCapabilities;
  readonly configureClient?: (client: Client) => void;
}

/** Start the built `rea` binary over real stdio and connect the official SDK client to it. */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'serve', '--dir', options.root, ...(options.args ?? [])],
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      REA_LOG_LEVEL: 'debug',
      ...options.env,
    },
    stderr: 'pipe',
  });
  const stderr: string[] = [];
  let partial = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    stderr.push(...lines);
  });
  const client = new Client({ name: 'rea-test', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  options.configureClient?.(client);
  await client.connect(transport);
  const pid = transport.pid!;
  return {
    client,
    transport,
    pid,
    stderr,
    async close() {
      await client.close();
    },
  };
}

/** Connect the SDK client directly to a server command, without the gateway (the comparison baseline). */
export async function connectDirect(command: string, args: string[], capabilities: ClientCapabilities = {}, configureClient?: (c: Client) => void): Promise<Client> {
  const client = new Client({ name: 'rea-test', version: '1.0.0' }, { capabilities });
  configureClient?.(client);
  await client.connect(new StdioClientTransport({ command, args, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' }, stderr: 'ignore' }));
  return client;
}

/** Running, not merely a zombie waiting for a parent that may never reap it (PID 1 in a container). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    // No /proc (macOS): signal 0 reached it.
    return true;
  }
}

/** Structured log lines (JSON) the gateway wrote to stderr. */
export function logRecords(stderr: readonly string[]): Record<string, unknown>[] {
  return stderr.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/**
 * Per-test resources of a describe block: whatever a test puts in `repo` and `gw` is closed and
 * removed after it, whether the test passed or not.
 */
export function useGatewayScope(): { repo?: TempRepo; gw?: RunningGateway } {
  const scope: { repo?: TempRepo; gw?: RunningGateway } = {};
  afterEach(async () => {
    await scope.gw?.close();
    scope.repo?.cleanup();
    delete scope.gw;
    delete scope.repo;
  });
  return scope;
}
