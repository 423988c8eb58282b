import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { isReaError } from '../../errors.js';
import type { Downstream } from '../supervision/downstream.js';
import { createLogger, scrubText, scrubValue } from '../../observability/logger.js';

const log = createLogger('wire');

/** Server-defined JSON-RPC code for "the downstream went away mid-call" (JSON-RPC reserves -32000..-32099). */
const DOWNSTREAM_FAILED = -32001;

/**
 * An error as it goes on the wire: the SDK sends `code`, `message` and `data` as they are.
 * (McpError would prefix "MCP error <code>: " to the message, and the client adds its own.)
 */
export class WireError extends Error {
  readonly data?: unknown;
  constructor(
    readonly code: number,
    message: string,
    data?: unknown,
  ) {
    // Messages may quote a child's last stderr line, and data is a downstream's own: scrub secrets first.
    super(scrubText(message));
    this.name = 'WireError';
    if (data !== undefined) this.data = scrubValue(data);
  }
}

/**
 * The only place agent-facing protocol errors are built. Messages name the subject and what
 * happened; stack traces and arguments never cross the wire. Errors the downstream itself
 * returned pass through with its own code.
 */
export function toWireError(error: unknown, downstream?: Downstream): WireError {
  if (error instanceof WireError) return error;
  // A server's own error keeps its code and message, whatever the code (-32000 included).
  if (error instanceof McpError) return new WireError(error.code, stripPrefix(error.message), error.data);
  if (isReaError(error, 'DOWNSTREAM_TIMEOUT')) {
    return new WireError(ErrorCode.RequestTimeout, `${downstream ? `Downstream "${downstream.name}"` : 'The server'} did not answer in time; the call was abandoned`);
  }
  if (isReaError(error, 'DOWNSTREAM_EXITED') && downstream) {
    return new WireError(DOWNSTREAM_FAILED, `${downstream.lastError ?? `Downstream "${downstream.name}" closed the connection`}; the call was not retried`);
  }
  if (isReaError(error, 'UNKNOWN_TOOL') || isReaError(error, 'UNKNOWN_PROMPT') || isReaError(error, 'UNKNOWN_RESOURCE') || isReaError(error, 'INVALID_PARAMS')) {
    return new WireError(ErrorCode.InvalidParams, error.message);
  }
  if (isReaError(error, 'SHUTTING_DOWN')) return new WireError(ErrorCode.ConnectionClosed, error.message);
  if (downstream && downstream.state !== 'ready') {
    return new WireError(DOWNSTREAM_FAILED, `${downstream.lastError ?? `Downstream "${downstream.name}" is ${downstream.state}`}; the call was not retried`);
  }
  if (isReaError(error)) return new WireError(ErrorCode.InternalError, error.message);
  log.error('Unexpected error answering a request', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return new WireError(ErrorCode.InternalError, 'Internal error in rea (details in the gateway log)');
}

/** McpError prefixes its message with "MCP error <code>: "; the wire message should not carry it twice. */
function stripPrefix(message: string): string {
  return message.replace(/^MCP error -?\d+: /, '');
}
