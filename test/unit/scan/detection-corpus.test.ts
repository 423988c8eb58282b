import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/scan/injection-classifier.js';
// @ts-expect-error plain ESM fixture without types
import { payloads as devPayloads } from '../../fixtures/detection/dev-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as devBenign } from '../../fixtures/detection/dev-benign.mjs';
// @ts-expect-error plain ESM fixture without types
import { payloads as heldoutPayloads } from '../../fixtures/detection/heldout-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as heldoutBenign } from '../../fixtures/detection/heldout-benign.mjs';

interface Item { family: string; source: string; text: string }
type Surface = 'result' | 'description';

function rates(payloads: Item[], benign: Item[], surface: Surface): { caught: number; blocked: number } {
  const caught = payloads.filter((p) => classify(p.text, surface).verdict === 'likely_injection').length;
  const blocked = benign.filter((b) => classify(b.text, surface).verdict === 'likely_injection').length;
  return { caught: caught / payloads.length, blocked: blocked / benign.length };
}

describe('detection corpus (issue 12)', () => {
  it('holds at least 1,000 payloads in at least 15 families and the dev and held-out splits share no text', () => {
    const all = [...(devPayloads() as Item[]), ...(heldoutPayloads() as Item[])];
    expect(all.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(all.map((p) => p.family)).size).toBeGreaterThanOrEqual(15);
    const dev = new Set([...(devPayloads() as Item[]), ...(devBenign() as Item[])].map((i) => i.text));
    const shared = [...(heldoutPayloads() as Item[]), ...(heldoutBenign() as Item[])].filter((i) => dev.has(i.text));
    expect(shared).toEqual([]);
  });

  // Floors a little under the figures measured when the model was committed (README "Detection"),
  // so a change that loses detection fails here. Only totals are asserted: the held-out split is
  // never inspected item by item.
  it.each(['result', 'description'] as const)('keeps the dev split figures on the %s surface', (surface) => {
    const r = rates(devPayloads() as Item[], devBenign() as Item[], surface);
    expect(r.caught).toBeGreaterThanOrEqual(0.87);
    expect(r.blocked).toBeLessThanOrEqual(0.02);
  });

  // The held-out split was run once, after the model was committed (README "Detection quality"):
  // 80.3% of payloads blocked as results, 81.3% as descriptions, 5.9% of benign texts blocked.
  // These floors only catch a regression; they are not the targets, which are not met.
  it.each(['result', 'description'] as const)('keeps the held-out figures measured at commit on the %s surface', (surface) => {
    const r = rates(heldoutPayloads() as Item[], heldoutBenign() as Item[], surface);
    expect(r.caught).toBeGreaterThanOrEqual(0.8);
    expect(r.blocked).toBeLessThanOrEqual(0.06);
  });
});
