/**
 * Span names and attributes per the OpenTelemetry semantic conventions for MCP (span
 * `{mcp.method.name} {target}`, `mcp.*`, `gen_ai.*`, `jsonrpc.request.id`, `error.type`), plus
 * rea's own `rea.*` attributes. Pure: it maps a finished request to plain values.
 */
import type { Attributes } from '@opentelemetry/api';
import type { AuditRecord } from '../../audit/record.js';
import { isReaError } from '../../errors.js';
import type { RequestContext, Surface } from '../../chain/types.js';

const METHOD: Readonly<Record<Surface, string>> = {
  tool: 'tools/call',
  resource: 'resources/read',
  prompt: 'prompts/get',
  sampling: 'sampling/createMessage',
  elicitation: 'elicitation/create',
  completion: 'completion/complete',
};

export function methodOf(surface: Surface): string {
  return METHOD[surface];
}

/** Tools and prompts name their target; resource URIs stay out of span names (unbounded cardinality). */
export function spanName(ctx: RequestContext): string {
  const method = METHOD[ctx.surface];
  return ctx.surface === 'tool' || ctx.surface === 'prompt' ? `${method} ${ctx.exposedName}` : method;
}

/** Known when the request enters the chain. */
export function startAttributes(ctx: RequestContext): Attributes {
  const attributes: Attributes = {
    'mcp.method.name': METHOD[ctx.surface],
    'mcp.session.id': ctx.sessionId,
    'network.transport': 'pipe',
    'rea.server': ctx.server,
  };
  if (ctx.requestId !== undefined) attributes['jsonrpc.request.id'] = String(ctx.requestId);
  if (ctx.surface === 'tool') {
    attributes['gen_ai.tool.name'] = ctx.exposedName;
    attributes['gen_ai.operation.name'] = 'execute_tool';
  } else if (ctx.surface === 'prompt') attributes['gen_ai.prompt.name'] = ctx.exposedName;
  else if (ctx.surface === 'resource') attributes['mcp.resource.uri'] = ctx.name;
  return attributes;
}

/** `error.type` per the conventions: `tool_error` for a tool result with isError (denials included). */
export function errorType(ctx: RequestContext): string | undefined {
  if (ctx.decision.kind === 'deny') return ctx.surface === 'tool' ? 'tool_error' : 'rea.denied';
  if (ctx.outcome === undefined) return ctx.signal.aborted ? 'cancelled' : 'rea.no_outcome';
  if (ctx.outcome.kind === 'error') {
    const error = ctx.outcome.error;
    return isReaError(error) ? error.code : error instanceof Error ? error.name : 'error';
  }
  return ctx.outcome.result['isError'] === true ? 'tool_error' : undefined;
}

/** Known once the outcome record is written. */
export function endAttributes(ctx: RequestContext, record: AuditRecord | undefined, error: string | undefined): Attributes {
  const attributes: Attributes = { 'rea.tier': ctx.tier, 'rea.decision': ctx.decision.kind };
  if (ctx.decision.kind === 'deny') attributes['rea.deny_code'] = ctx.decision.code;
  if (error !== undefined) attributes['error.type'] = error;
  if (record?.seq !== undefined) attributes['rea.audit.seq'] = record.seq;
  if (record !== undefined) attributes['rea.audit.hash'] = record.hash;
  return attributes;
}
