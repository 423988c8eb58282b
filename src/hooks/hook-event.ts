/**
 * The event Claude Code sends a hook on stdin (hooks reference: `session_id`, `cwd`,
 * `hook_event_name`, `tool_name`, `tool_input`, `tool_use_id`, and for PostToolUse
 * `tool_response`). Checked by hand: zod would cost the hook more start-up than all its checks.
 */
export interface ToolEvent {
  readonly event: 'PreToolUse' | 'PostToolUse';
  readonly sessionId: string;
  readonly cwd: string | undefined;
  readonly toolName: string;
  readonly toolInput: Record<string, unknown>;
  readonly toolUseId: string | undefined;
  readonly toolResponse: unknown;
}

export class HookInputError extends Error {}

/** More than this on stdin is not an event a hook should try to read. */
export const MAX_EVENT_BYTES = 32 * 1024 * 1024;

export function parseToolEvent(text: string, expected: ToolEvent['event']): ToolEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HookInputError(`the event is not valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HookInputError('the event is not a JSON object');
  const event = value as Record<string, unknown>;
  const name = event['hook_event_name'];
  if (name !== undefined && name !== expected) throw new HookInputError(`this hook handles ${expected}, not ${String(name)}`);
  const toolName = event['tool_name'];
  if (typeof toolName !== 'string' || toolName.length === 0) throw new HookInputError('the event has no tool_name');
  const input = event['tool_input'] ?? {};
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new HookInputError('tool_input is not an object');
  return {
    event: expected,
    sessionId: typeof event['session_id'] === 'string' ? event['session_id'] : 'unknown',
    cwd: typeof event['cwd'] === 'string' ? event['cwd'] : undefined,
    toolName,
    toolInput: input as Record<string, unknown>,
    toolUseId: typeof event['tool_use_id'] === 'string' ? event['tool_use_id'] : undefined,
    toolResponse: event['tool_response'],
  };
}

/** A string field of tool_input, or undefined. */
export function inputString(event: ToolEvent, key: string): string | undefined {
  const value = event.toolInput[key];
  return typeof value === 'string' ? value : undefined;
}
