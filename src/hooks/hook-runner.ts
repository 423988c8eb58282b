import { readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Policy } from '../config/policy-schema.js';
import type { AuditInput } from '../audit/record.js';
import type { Tier } from '../policy/levels.js';
import { HookInputError, MAX_EVENT_BYTES, parseToolEvent, type ToolEvent } from './hook-event.js';
import { NATIVE_SERVER } from './native-tools.js';

/**
 * What both hooks share: one process per Claude Code tool event. Claude Code runs the tool unless
 * the hook exits 2, so every path that cannot decide (bad input, a crash, an unusable policy)
 * denies with the reason on stderr.
 */
export async function runHook(eventName: ToolEvent['event'], handle: (event: ToolEvent, root: string) => Promise<number>): Promise<number> {
  let event: ToolEvent;
  try {
    event = parseToolEvent(readStdin(), eventName);
  } catch (error) {
    const why = error instanceof HookInputError ? error.message : `the event could not be read (${(error as Error).message})`;
    return refuse(`rea ${eventName} hook: ${why}; the call is refused`);
  }
  const root = resolve(process.env['CLAUDE_PROJECT_DIR'] ?? event.cwd ?? process.cwd());
  try {
    return await handle(event, root);
  } catch (error) {
    return refuse(`rea ${eventName} hook failed, so the call is refused: ${(error as Error).stack ?? String(error)}`);
  }
}

/** The fields every native record shares. */
export function baseRecord(event: ToolEvent, policy: Policy, tier: Tier, metadata: Record<string, unknown>): AuditInput {
  return {
    tool_name: event.toolName,
    server_name: NATIVE_SERVER,
    session_id: event.sessionId,
    tier,
    autonomy_level: policy.autonomy_level,
    surface: 'native',
    ...(event.toolUseId !== undefined ? { call_id: event.toolUseId } : {}),
    metadata,
  };
}


/** stdin read synchronously: the event is all the hook needs before it can start deciding. */
function readStdin(): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(1 << 16);
  let size = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue;
      if (code === 'EOF') break;
      throw error;
    }
    if (n === 0) break;
    size += n;
    if (size > MAX_EVENT_BYTES) throw new HookInputError(`the event is larger than ${MAX_EVENT_BYTES} bytes`);
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function refuse(reason: string): number {
  process.stderr.write(`${reason}\n`);
  return 2;
}

