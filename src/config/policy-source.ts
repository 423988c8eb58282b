import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import { errorMessage } from '../errors.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { compilePolicy, type CompiledPolicy } from '../policy/compiled-policy.js';
import type { AutonomyLevel } from '../policy/levels.js';
import { loadProjectPolicy, type PolicyLoad } from './policy-loader.js';
import { decideAutonomy, type PendingPromotion } from './policy-promotion.js';
import type { Policy } from './policy-schema.js';
import { reaPaths } from './project-paths.js';

export type { PendingPromotion };

/** The policy in force, frozen, with its compiled matchers. Identity changes only on a change. */
export interface LoadedPolicy {
  /** Increments on every change of the policy in force (reload, promotion confirmed). */
  readonly version: number;
  readonly policy: Policy;
  /** The autonomy level in force: the file's, unless a raise is held or clamped. */
  readonly autonomy: AutonomyLevel;
  /** Highest level a runtime edit can reach: the startup ceiling, lowered by later edits. */
  readonly ceiling: AutonomyLevel;
  readonly origin: 'file' | 'default';
  readonly file: string;
  readonly compiled: CompiledPolicy;
}

/** What the gateway records in the audit log and shows in `rea status`. */
export type PolicyEvent =
  | { kind: 'reloaded'; version: number; autonomy: AutonomyLevel }
  | { kind: 'reload_failed'; error: string; keptVersion: number }
  | { kind: 'promotion_pending'; from: AutonomyLevel; to: AutonomyLevel }
  | { kind: 'promotion_confirmed'; from: AutonomyLevel; to: AutonomyLevel; version: number }
  | { kind: 'promotion_rejected'; from: AutonomyLevel; to: AutonomyLevel }
  | { kind: 'autonomy_clamped'; requested: AutonomyLevel; ceiling: AutonomyLevel };

export interface PolicySourceOptions {
  /** Project root; the policy is `<root>/.rea/policy.yaml`. */
  readonly root: string;
  /** At most one stat of the file per this many ms on `current()` (backs up fs.watch). Default 100. */
  readonly checkIntervalMs?: number;
  /** Watch the `.rea/` directory. Default true. */
  readonly watch?: boolean;
  readonly onEvent?: (event: PolicyEvent) => void;
  readonly logger?: Logger;
}

/**
 * Holds the policy in force and reloads it when the file changes: `current()` is a field read plus, at
 * most every `checkIntervalMs` (or after a watch event), one stat. An invalid edit keeps the last good
 * policy (THREAT_MODEL.md T3). The first load throws: a gateway never starts on a broken policy.
 */
export class PolicySource {
  private loaded: LoadedPolicy;
  private stamp: string;
  private lastCheck = 0;
  private dirty = false;
  private watcher: FSWatcher | undefined;
  private rejected: AutonomyLevel | undefined;
  private readonly root: string;
  private readonly file: string;
  private readonly interval: number;
  private readonly log: Logger;
  private readonly emit: (event: PolicyEvent) => void;
  /** The last reload error, for `rea status`; cleared by a good reload. */
  lastError: string | undefined;
  /** A raise of autonomy held for a human (promotion_requires_human_approval). */
  pendingPromotion: PendingPromotion | undefined;

  constructor(options: PolicySourceOptions) {
    this.root = options.root;
    this.file = reaPaths(options.root).policy;
    this.interval = options.checkIntervalMs ?? 100;
    this.log = options.logger ?? createLogger('policy');
    const onEvent = options.onEvent;
    this.emit = (event) => {
      try {
        onEvent?.(event);
      } catch (error) {
        this.log.error('policy event handler threw', { error: errorMessage(error) });
      }
    };
    this.stamp = this.statStamp();
    const first = loadProjectPolicy(options.root);
    this.loaded = build(first, 1, first.policy.autonomy_level, first.policy.max_autonomy_level);
    if (options.watch !== false) this.startWatching();
  }

  /** The policy in force. Cheap: no parsing unless the file changed. */
  current(): LoadedPolicy {
    const now = performance.now();
    if (this.dirty || now - this.lastCheck >= this.interval) {
      this.lastCheck = now;
      this.dirty = false;
      const stamp = this.statStamp();
      if (stamp !== this.stamp) {
        this.stamp = stamp;
        this.reloadNow();
      }
    }
    return this.loaded;
  }

  /** Re-read the file now, whatever its stamp says. */
  reload(): LoadedPolicy {
    this.stamp = this.statStamp();
    this.reloadNow();
    return this.loaded;
  }

  /** Apply the held raise (the human said yes). */
  confirmPromotion(): LoadedPolicy {
    const pending = this.pendingPromotion;
    if (!pending) return this.loaded;
    this.pendingPromotion = undefined;
    const prev = this.loaded;
    this.loaded = Object.freeze({ ...prev, version: prev.version + 1, autonomy: pending.to });
    this.log.warn('autonomy raise confirmed', { from: pending.from, to: pending.to });
    this.emit({ kind: 'promotion_confirmed', from: pending.from, to: pending.to, version: this.loaded.version });
    return this.loaded;
  }

  /** Drop the held raise; it is not asked again until the file names another level. */
  rejectPromotion(): void {
    const pending = this.pendingPromotion;
    if (!pending) return;
    this.pendingPromotion = undefined;
    this.rejected = pending.to;
    this.log.warn('autonomy raise rejected', { from: pending.from, to: pending.to });
    this.emit({ kind: 'promotion_rejected', from: pending.from, to: pending.to });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  private reloadNow(): void {
    let next: PolicyLoad;
    try {
      if (!existsSync(this.file)) throw new Error(`${this.file} was removed; keeping the last good policy`);
      next = loadProjectPolicy(this.root);
    } catch (error) {
      this.lastError = errorMessage(error);
      this.log.error('policy reload failed; keeping the last good policy', { error: this.lastError, version: this.loaded.version });
      this.emit({ kind: 'reload_failed', error: this.lastError, keptVersion: this.loaded.version });
      return;
    }
    this.lastError = undefined;
    const prev = this.loaded;
    const decision = decideAutonomy({
      current: prev.autonomy,
      ceiling: prev.ceiling,
      requested: next.policy.autonomy_level,
      requestedMax: next.policy.max_autonomy_level,
      needsApproval: prev.policy.promotion_requires_human_approval || next.policy.promotion_requires_human_approval,
      rejected: this.rejected,
    });
    if (decision.clampedFrom) {
      this.log.warn('autonomy raise above the ceiling clamped', { requested: decision.clampedFrom, ceiling: decision.ceiling });
      this.emit({ kind: 'autonomy_clamped', requested: decision.clampedFrom, ceiling: decision.ceiling });
    }
    if (decision.pending?.to !== this.pendingPromotion?.to) {
      this.pendingPromotion = decision.pending;
      if (decision.pending) {
        this.log.warn('autonomy raise held for human approval', { ...decision.pending });
        this.emit({ kind: 'promotion_pending', from: decision.pending.from, to: decision.pending.to });
      }
    }
    if (!decision.pending && next.policy.autonomy_level !== this.rejected) this.rejected = undefined;
    this.loaded = build(next, prev.version + 1, decision.autonomy, decision.ceiling);
    this.log.info('policy reloaded', { version: this.loaded.version, autonomy: this.loaded.autonomy });
    this.emit({ kind: 'reloaded', version: this.loaded.version, autonomy: this.loaded.autonomy });
  }

  /** mtime, ctime, size and inode: an atomic rename or an in-place write both change it. */
  private statStamp(): string {
    try {
      const s = statSync(this.file, { bigint: true });
      return `${s.mtimeNs}:${s.ctimeNs}:${s.size}:${s.ino}`;
    } catch {
      return 'absent';
    }
  }

  private startWatching(): void {
    const dir = reaPaths(this.root).dir;
    if (!existsSync(dir)) return;
    const name = basename(this.file);
    try {
      this.watcher = watch(dir, { persistent: false }, (_event, changed) => {
        if (changed === null || changed === name || changed.startsWith(`${name}.`)) this.dirty = true;
      });
      this.watcher.on('error', (error) => {
        // The interval check still catches edits; a dead watcher only delays them by checkIntervalMs.
        this.log.warn('policy watcher failed; relying on periodic checks', { error: errorMessage(error) });
        this.close();
      });
    } catch (error) {
      this.log.warn('cannot watch the policy directory; relying on periodic checks', { error: errorMessage(error) });
    }
  }
}

function build(load: PolicyLoad, version: number, autonomy: AutonomyLevel, ceiling: AutonomyLevel): LoadedPolicy {
  return Object.freeze({
    version,
    policy: load.policy,
    autonomy,
    ceiling,
    origin: load.origin,
    file: load.file,
    compiled: Object.freeze(compilePolicy(load.policy)),
  });
}
