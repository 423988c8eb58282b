import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { isReaError } from '../errors.js';
import type { Downstream } from './downstream.js';

/** Server-defined JSON-RPC code for "the downstream went away mid-call" (JSON-RPC reserves -32000..-32099). */
export const DOWNSTREAM_FAILED = -32001;

/**
 * The only place agent-facing protocol errors are built. Messages name the subject and what
 * happened; stack traces and arguments never cross the wire. Errors the downstream itself
 * returned (McpError with its own code) pass through as it sent them.
 */
export function toWireError(error: unknown, downstream?: Downstream): McpError {
  if (error instanceof McpError) {
    if (error.code === ErrorCode.ConnectionClosed && downstream) {
      return new McpError(
        DOWNSTREAM_FAILED,
        `${downstream.lastError ?? `Downstream "${downstream.name}" closed the connection`}; the call was not retried`,
      );
    }
    if (error.code === ErrorCode.RequestTimeout && downstream) {
      return new McpError(ErrorCode.RequestTimeout, `Downstream "${downstream.name}" did not answer in time; the call was abandoned`);
    }
    return new McpError(error.code, stripPrefix(error.message), error.data);
  }
  if (isReaError(error, 'UNKNOWN_TOOL') || isReaError(error, 'UNKNOWN_PROMPT') || isReaError(error, 'UNKNOWN_RESOURCE')) {
    return new McpError(ErrorCode.InvalidParams, error.message);
  }
  if (isReaError(error, 'SHUTTING_DOWN')) return new McpError(ErrorCode.ConnectionClosed, error.message);
  if (isReaError(error)) return new McpError(ErrorCode.InternalError, error.message);
  if (downstream && downstream.state !== 'ready') {
    return new McpError(DOWNSTREAM_FAILED, `${downstream.lastError ?? `Downstream "${downstream.name}" is ${downstream.state}`}; the call was not retried`);
  }
  return new McpError(ErrorCode.InternalError, 'Internal error in rea (details in the gateway log)');
}

/** McpError prefixes its message with "MCP error <code>: "; the wire message should not carry it twice. */
function stripPrefix(message: string): string {
  return message.replace(/^MCP error -?\d+: /, '');
}
