/**
 * Span names and attributes per the OpenTelemetry semantic conventions for MCP (span
 * `{mcp.method.name} {target}`, `mcp.*`, `gen_ai.*`, `jsonrpc.request.id`, `error.type`), plus
 * rea's own `rea.*` attributes, set on a request's span.
 */
import type { Span } from '@opentelemetry/api';
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

/**
 * Known when the request enters the chain. Set one by one on the span rather than built into an
 * object first: a request then allocates no attribute object of its own (issue 13's CPU budget).
 */
export function setStartAttributes(span: Span, ctx: RequestContext): void {
  span.setAttribute('mcp.method.name', METHOD[ctx.surface]);
  span.setAttribute('mcp.session.id', ctx.sessionId);
  span.setAttribute('network.transport', 'pipe');
  span.setAttribute('rea.server', ctx.server);
  if (ctx.requestId !== undefined) span.setAttribute('jsonrpc.request.id', String(ctx.requestId));
  if (ctx.surface === 'tool') {
    span.setAttribute('gen_ai.tool.name', ctx.exposedName);
    span.setAttribute('gen_ai.operation.name', 'execute_tool');
  } else if (ctx.surface === 'prompt') span.setAttribute('gen_ai.prompt.name', ctx.exposedName);
  else if (ctx.surface === 'resource') span.setAttribute('mcp.resource.uri', ctx.name);
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
export function setEndAttributes(span: Span, ctx: RequestContext, record: AuditRecord | undefined, error: string | undefined): void {
  span.setAttribute('rea.tier', ctx.tier);
  span.setAttribute('rea.decision', ctx.decision.kind);
  if (ctx.decision.kind === 'deny') span.setAttribute('rea.deny_code', ctx.decision.code);
  if (error !== undefined) span.setAttribute('error.type', error);
  if (record?.seq !== undefined) span.setAttribute('rea.audit.seq', record.seq);
  if (record !== undefined) span.setAttribute('rea.audit.hash', record.hash);
}
