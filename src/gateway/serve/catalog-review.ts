import { TofuGate } from '../../registry/tofu-gate.js';
import { decideCatalogItem, scanCatalogItem } from '../../scan/catalog-scan.js';
import { textOf } from '../../scan/text-of.js';
import type { ScanOptions } from '../../scan/scan-options.js';
import { createLogger } from '../../observability/logger.js';
import type { Catalog } from '../../registry/catalog.js';
import type { GatewayEvent } from '../../audit/gateway-event.js';
import type { Tier } from '../../policy/levels.js';

const log = createLogger('catalog');

type Item = Record<string, unknown> & { name: string };

/** Tools, prompts and templates are named; a resource is known by its URI. */
const asItem = (r: Record<string, unknown>): Item => ({ ...r, name: String(r['name'] ?? r['uri'] ?? r['uriTemplate']) });

/** What the agent may see of a server's catalog, and why the rest is withheld. */
export interface ReviewedCatalog {
  readonly catalog: Catalog;
  /** Tool or prompt name → why it is withheld (changed since pinned, or quarantined). */
  readonly withheld: ReadonlyMap<string, string>;
}

/**
 * Before the agent sees anything a server advertises: pin it on first sight and withhold what
 * changed since (rug pulls), then quarantine items whose descriptions look like injected
 * instructions (tool poisoning). THREAT_MODEL.md, T13 and T14.
 */
export class CatalogReviewer {
  private readonly quarantined = new Set<string>();

  constructor(
    private readonly gate: TofuGate,
    private readonly scan: () => ScanOptions,
    private readonly record: (event: GatewayEvent) => void,
    /** A tool's governance tier, so per-tier `description` actions apply to tool descriptions. */
    private readonly tierOf: (server: string, tool: Record<string, unknown>) => Tier = () => 'read',
  ) {}

  async review(server: string, raw: Catalog): Promise<ReviewedCatalog> {
    const pinned = await this.gate.reviewCatalog(server, raw);
    const withheld = new Map<string, string>(pinned.withheld.map((w) => [w.name, `pending operator review (${w.reason})`]));
    const tools = pinned.tools.filter((t) => this.admit(server, 'tool', asItem(t), withheld));
    const prompts = pinned.prompts.filter((p) => this.admit(server, 'prompt', asItem(p), withheld));
    const resources = raw.resources.filter((r) => this.admit(server, 'resource', asItem(r), withheld));
    const resourceTemplates = pinned.resourceTemplates.filter((r) => this.admit(server, 'resource', asItem(r), withheld));
    let instructions = pinned.instructions;
    if (instructions !== undefined && !this.admit(server, 'instructions', { name: 'instructions', text: instructions }, withheld)) instructions = undefined;
    const serverInfo = raw.serverInfo === undefined ? undefined : this.reviewServerInfo(server, raw.serverInfo);
    return {
      catalog: { ...raw, tools, prompts, resources, resourceTemplates, instructions, serverInfo },
      withheld,
    };
  }

  /**
   * Wrap mode answers initialize with the server's own identity, which a client may show the model:
   * redacted, and cut to its bare name and version when it reads as injected instructions.
   */
  private reviewServerInfo(server: string, info: Record<string, unknown>): Record<string, unknown> {
    const options = this.scan();
    const redacted = options.redactor.redactValue(info, 'serverInfo').value;
    const decision = decideCatalogItem(options, 'instructions', 'serverInfo', scanCatalogItem(options, 'instructions', textOf(redacted)));
    if (decision.action !== 'quarantine') return redacted;
    log.warn('Replaced a serverInfo that looks like injected instructions', { server });
    this.record({ event: 'rea.scan.quarantine', server, status: 'denied', detail: { kind: 'serverInfo', name: 'serverInfo', reason: decision.reason } });
    return { name: String(redacted['name'] ?? server), version: String(redacted['version'] ?? '') };
  }

  private admit(server: string, kind: 'tool' | 'prompt' | 'resource' | 'instructions', item: Item, withheld: Map<string, string>): boolean {
    const options = this.scan();
    const subject = kind === 'instructions' ? String(item['text']) : item;
    const tier = kind === 'tool' ? this.tierOf(server, item) : 'read';
    const decision = decideCatalogItem(options, kind, item.name, scanCatalogItem(options, kind, subject), tier);
    if (decision.action === 'allow') return true;
    const key = `${server}:${kind}:${item.name}`;
    const firstTime = !this.quarantined.has(key);
    this.quarantined.add(key);
    if (decision.action === 'warn') {
      if (firstTime) log.warn('Suspicious description kept (policy says warn)', { server, kind, name: item.name, reason: decision.reason });
      return true;
    }
    withheld.set(item.name, 'quarantined: its description looks like injected instructions');
    if (firstTime) {
      log.warn('Quarantined an item whose description looks like injected instructions', { server, kind, name: item.name });
      this.record({ event: 'rea.scan.quarantine', server, status: 'denied', detail: { kind, name: item.name, reason: decision.reason } });
    }
    return false;
  }
}
