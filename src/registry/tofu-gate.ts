/**
 * Trust on first use for what each downstream is and advertises (THREAT_MODEL.md, rug pulls).
 * First sight pins the launch config and every item; later, a changed or new item is withheld from
 * the agent and recorded as pending until an operator runs `rea tofu accept`. The store is re-read on
 * every review, so an accept made by the CLI while the gateway runs applies at the next list.
 */
import { appendAuditRecord } from '../audit/index.js';
import { systemEvent } from '../audit/events.js';
import { errorMessage } from '../errors.js';
import { createLogger } from '../observability/logger.js';
import { fingerprintItem, fingerprintLaunch, isLegacyPinOf, itemSnapshot, type ItemKind, type LaunchSpec } from './fingerprint.js';
import type { PinnedPart } from './catalog.js';
import { updateStore, type FingerprintFile, type Pin, type ServerCatalog } from './tofu-store.js';

const log = createLogger('tofu');

export type LaunchStatus = 'first-seen' | 'match' | 'drift';
export interface LaunchCheck {
  readonly status: LaunchStatus;
  readonly fingerprint: string;
}

export interface Withheld {
  readonly kind: ItemKind;
  readonly name: string;
  readonly reason: 'changed' | 'new-after-pin';
}

type Item = Record<string, unknown>;

/** What passed the gate: the pinned part of the catalog with changed and new items taken out. */
export interface CatalogReview {
  readonly tools: Item[];
  readonly prompts: Item[];
  readonly resourceTemplates: Item[];
  readonly instructions: string | undefined;
  readonly withheld: Withheld[];
  readonly firstSight: boolean;
}

const SECTIONS = { tool: 'tools', prompt: 'prompts', resource_template: 'resource_templates' } as const;

export interface TofuGateOptions {
  /** Audit file (or `.rea` dir / project root) where decisions are recorded; omit to not record. */
  readonly auditTarget?: string;
  readonly now?: () => Date;
}

export class TofuGate {
  readonly #path: string;
  readonly #options: TofuGateOptions;

  constructor(path: string, options: TofuGateOptions = {}) {
    this.#path = path;
    this.#options = options;
  }

  /** Compare the launch config with its pin; first sight pins it, drift is recorded as pending. */
  async checkLaunch(server: string, spec: LaunchSpec): Promise<LaunchCheck> {
    const fingerprint = fingerprintLaunch(spec);
    const now = this.#now();
    const status = await updateStore(this.#path, (store): LaunchStatus => {
      const pinned = store.servers[server];
      if (pinned === undefined) {
        store.servers[server] = fingerprint;
        return 'first-seen';
      }
      if (pinned === fingerprint) return 'match';
      const entry = serverCatalog(store, server, now);
      entry.pending[`launch:${server}`] = { kind: 'launch', name: server, sha256: fingerprint, snapshot: { command: spec.command, args: spec.args ?? [], env_keys: Object.keys(spec.env ?? {}).sort() }, seen_at: now, reason: 'changed' };
      return 'drift';
    });
    if (status !== 'match') await this.#record(status === 'first-seen' ? 'rea.tofu.pinned' : 'rea.tofu.drift', { server, what: 'launch', fingerprint });
    return { status, fingerprint };
  }

  /** Filter what a server advertises: pinned and unchanged items pass, others are withheld. */
  async reviewCatalog(server: string, catalog: PinnedPart): Promise<CatalogReview> {
    const now = this.#now();
    const result = await updateStore(this.#path, (store) => {
      const firstSight = store.catalog?.[server] === undefined;
      const entry = serverCatalog(store, server, now);
      const withheld: Withheld[] = [];
      const fresh: Withheld[] = [];
      // An item without a name cannot be pinned or called by name: it is never shown.
      const admit = (kind: Exclude<ItemKind, 'instructions'>, items: readonly Item[] | undefined): Item[] =>
        (items ?? []).filter((item) => typeof item['name'] === 'string' && judge(entry, entry[SECTIONS[kind]], kind, item['name'], item, firstSight, now, withheld, fresh));
      const tools = admit('tool', catalog.tools);
      const prompts = admit('prompt', catalog.prompts);
      const resourceTemplates = admit('resource_template', catalog.resourceTemplates);
      let instructions = catalog.instructions;
      if (instructions !== undefined) {
        const pins: Record<string, Pin> = entry.instructions ? { instructions: entry.instructions } : {};
        if (!judge(entry, pins, 'instructions', 'instructions', instructions, firstSight, now, withheld, fresh)) instructions = undefined;
        if (pins['instructions']) entry.instructions = pins['instructions'];
      }
      return { tools, prompts, resourceTemplates, instructions, withheld, firstSight, fresh };
    });
    if (result.firstSight) await this.#record('rea.tofu.pinned', { server, what: 'catalog', tools: result.tools.length, prompts: result.prompts.length, resource_templates: result.resourceTemplates.length });
    // Recorded when a change is first seen, not on every later list of the same pending change.
    if (result.fresh.length > 0) await this.#record('rea.tofu.withheld', { server, items: result.fresh }, 'denied');
    const { tools, prompts, resourceTemplates, instructions, withheld, firstSight } = result;
    return { tools, prompts, resourceTemplates, instructions, withheld, firstSight };
  }

  #now(): string {
    return (this.#options.now?.() ?? new Date()).toISOString();
  }

  /** A decision that cannot be recorded is logged loudly, not dropped (STYLE.md §7.7); the gate still holds. */
  async #record(event: string, metadata: Record<string, unknown>, status: 'allowed' | 'denied' = 'allowed'): Promise<void> {
    const target = this.#options.auditTarget;
    if (target === undefined) return;
    try {
      await appendAuditRecord(target, systemEvent(event, metadata, status));
    } catch (error) {
      log.error('TOFU decision not recorded in the audit log', { event, error: errorMessage(error) });
    }
  }
}

function serverCatalog(store: FingerprintFile, server: string, now: string): ServerCatalog {
  store.catalog ??= {};
  return (store.catalog[server] ??= { pinned_at: now, tools: {}, prompts: {}, resource_templates: {}, pending: {} });
}

/** Pin on first sight; pass when unchanged; otherwise record the pending change and withhold. */
function judge(entry: ServerCatalog, pins: Record<string, Pin>, kind: ItemKind, name: string, item: unknown, firstSight: boolean, now: string, withheld: Withheld[], fresh: Withheld[]): boolean {
  const sha256 = fingerprintItem(kind, item);
  const pin = pins[name];
  const key = `${kind}:${name}`;
  if (pin === undefined && firstSight) {
    pins[name] = { sha256, snapshot: itemSnapshot(kind, item), pinned_at: now };
    return true;
  }
  if (pin !== undefined && pin.sha256 === sha256) {
    delete entry.pending[key];
    return true;
  }
  if (pin !== undefined && isLegacyPinOf(kind, pin, item)) {
    pins[name] = { ...pin, sha256, snapshot: itemSnapshot(kind, item) };
    delete entry.pending[key];
    return true;
  }
  const reason = pin === undefined ? 'new-after-pin' : 'changed';
  const previous = entry.pending[key];
  entry.pending[key] = { kind, name, sha256, snapshot: itemSnapshot(kind, item), seen_at: previous?.sha256 === sha256 ? previous.seen_at : now, reason };
  withheld.push({ kind, name, reason });
  if (previous?.sha256 !== sha256) fresh.push({ kind, name, reason });
  return false;
}
