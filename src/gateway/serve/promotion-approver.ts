import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { PendingPromotion, PolicySource } from '../../config/policy-source.js';
import { createLogger } from '../../observability/logger.js';

const log = createLogger('promotion');

/** Written by `rea promote --approve|--reject` on a terminal; read and removed by the gateway. */
export const PROMOTION_DECISION_FILE = 'promotion-decision.json';

export interface PromotionDecision {
  readonly decision: 'approve' | 'reject';
  /** The level the operator approved: a decision about another level is ignored. */
  readonly to: string;
}

/**
 * A held raise of autonomy (promotion_requires_human_approval) is settled by a human: through
 * elicitation in the agent's client when it supports it, or by `rea promote` on a terminal. The
 * agent cannot answer for the human: `.rea/` is a blocked path for every tool (THREAT_MODEL.md T2).
 */
export class PromotionApprover {
  private asking = false;

  constructor(
    private readonly source: PolicySource,
    private readonly reaDir: string,
    private readonly server: () => Server,
    private readonly timeoutMs: () => number,
  ) {}

  /** Called when the policy source holds a raise. */
  onPending(pending: PendingPromotion): void {
    void this.askClient(pending);
  }

  /** Apply a terminal decision if one is waiting; cheap when none is (one existsSync). */
  checkTerminalDecision(): void {
    const file = join(this.reaDir, PROMOTION_DECISION_FILE);
    if (!existsSync(file)) return;
    let decision: PromotionDecision | undefined;
    try {
      decision = JSON.parse(readFileSync(file, 'utf8')) as PromotionDecision;
    } catch (error) {
      log.error('Ignoring an unreadable promotion decision file', { file, error: String(error) });
    }
    rmSync(file, { force: true });
    const pending = this.source.pendingPromotion;
    if (!decision || !pending || decision.to !== pending.to) return;
    if (decision.decision === 'approve') this.source.confirmPromotion();
    else this.source.rejectPromotion();
  }

  private async askClient(pending: PendingPromotion): Promise<void> {
    const server = this.server();
    if (this.asking || !server.getClientCapabilities()?.elicitation) return;
    this.asking = true;
    try {
      const answer = await server.elicitInput(
        {
          message: `The policy file now asks for autonomy ${pending.to} (currently ${pending.from}). Allow the agent this level?`,
          requestedSchema: { type: 'object', properties: { approve: { type: 'boolean', title: `Raise autonomy to ${pending.to}` } }, required: ['approve'] },
        },
        { timeout: this.timeoutMs() },
      );
      if (this.source.pendingPromotion?.to !== pending.to) return;
      if (answer.action === 'accept' && answer.content?.['approve'] === true) this.source.confirmPromotion();
      else if (answer.action === 'decline' || answer.content?.['approve'] === false) this.source.rejectPromotion();
    } catch (error) {
      log.warn('Could not ask the user about a held autonomy raise; it stays held', { error: String(error) });
    } finally {
      this.asking = false;
    }
  }
}
