import { NAME_SEPARATOR, qualify } from '../../policy/qualified-name.js';
import type { Downstream } from '../supervision/downstream.js';

export type GatewayMode = 'multi' | 'wrap';


export interface Route {
  readonly downstream: Downstream;
  /** The name the downstream knows (un-prefixed). */
  readonly name: string;
}

/**
 * Maps what the agent names (prefixed tools and prompts, resource URIs) to the downstream that
 * owns it. In wrap mode there is one downstream and names pass through unchanged.
 */
export class Router {
  constructor(
    readonly mode: GatewayMode,
    private readonly downstreams: ReadonlyMap<string, Downstream>,
  ) {}

  expose(server: string, name: string): string {
    return this.mode === 'wrap' ? name : qualify(server, name);
  }

  /** Which server a prefixed name belongs to, even when that server is down or lacks the item. */
  resolveName(exposed: string): { server: Downstream | undefined; serverName: string; name: string } {
    if (this.mode === 'wrap') {
      const only = this.downstreams.values().next().value as Downstream;
      return { server: only, serverName: only.name, name: exposed };
    }
    const at = exposed.indexOf(NAME_SEPARATOR);
    if (at <= 0) return { server: undefined, serverName: '', name: exposed };
    const serverName = exposed.slice(0, at);
    return { server: this.downstreams.get(serverName), serverName, name: exposed.slice(at + NAME_SEPARATOR.length) };
  }

  findTool(exposed: string): (Route & { tool: Record<string, unknown> }) | undefined {
    const { server, name } = this.resolveName(exposed);
    const tool = server?.catalog.tools.find((t) => t['name'] === name);
    return server && tool ? { downstream: server, name, tool } : undefined;
  }

  findPrompt(exposed: string): Route | undefined {
    const { server, name } = this.resolveName(exposed);
    return server?.catalog.prompts.some((p) => p['name'] === name) ? { downstream: server, name } : undefined;
  }

  /** The owner of a URI: the server that listed it, else one whose template matches it. */
  findResourceOwner(uri: string): Downstream | undefined {
    const ready = [...this.downstreams.values()].filter((d) => d.state === 'ready');
    const listed = ready.find((d) => d.catalog.resources.some((r) => r['uri'] === uri));
    if (listed) return listed;
    const templated = ready.find((d) => d.catalog.resourceTemplates.some((t) => templateMatches(String(t['uriTemplate']), uri)));
    if (templated) return templated;
    const withResources = ready.filter((d) => d.catalog.capabilities.resources);
    return withResources.length === 1 ? withResources[0] : undefined;
  }
}

/** Compiled once per template (templates come from downstream lists; bounded so a flood cannot grow it). */
const TEMPLATE_CACHE = new Map<string, RegExp>();
const MAX_TEMPLATES = 1000;

/** RFC 6570 level 1–2 match: `{var}` is one path segment, `{+var}` anything; literals must match. */
function templateMatches(template: string, uri: string): boolean {
  let regex = TEMPLATE_CACHE.get(template);
  if (!regex) {
    regex = templateRegex(template);
    if (TEMPLATE_CACHE.size >= MAX_TEMPLATES) TEMPLATE_CACHE.clear();
    TEMPLATE_CACHE.set(template, regex);
  }
  return regex.test(uri);
}

function templateRegex(template: string): RegExp {
  let pattern = '^';
  let last = 0;
  for (const m of template.matchAll(/\{([+#/?&]?)[^}]*\}/g)) {
    pattern += escapeRegExp(template.slice(last, m.index));
    pattern += m[1] === '+' || m[1] === '#' ? '.*' : m[1] === '?' || m[1] === '&' ? '(?:[?&].*)?' : '[^/?#]*';
    last = m.index + m[0].length;
  }
  pattern += escapeRegExp(template.slice(last)) + '$';
  return new RegExp(pattern);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
