import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/scan/injection-classifier.js';
// @ts-expect-error plain ESM fixture without types
import { payloads as devPayloads } from '../../fixtures/detection/dev-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as devBenign } from '../../fixtures/detection/dev-benign.mjs';
// @ts-expect-error plain ESM fixture without types
import { payloads as dev2Payloads } from '../../fixtures/detection/dev2-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as dev2Benign } from '../../fixtures/detection/dev2-benign.mjs';
// @ts-expect-error plain ESM fixture without types
import { payloads as heldoutPayloads } from '../../fixtures/detection/heldout-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as heldoutBenign } from '../../fixtures/detection/heldout-benign.mjs';
// @ts-expect-error plain ESM fixture without types
import { payloads as heldout2Payloads } from '../../fixtures/detection/heldout2-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as heldout2Benign } from '../../fixtures/detection/heldout2-benign.mjs';
// @ts-expect-error plain ESM fixture without types
import { payloads as heldout3Payloads } from '../../fixtures/detection/heldout3-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as heldout3Benign } from '../../fixtures/detection/heldout3-benign.mjs';
// @ts-expect-error plain ESM fixture without types
import { payloads as heldout4Payloads } from '../../fixtures/detection/heldout4-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as heldout4Benign } from '../../fixtures/detection/heldout4-benign.mjs';

interface Item { family: string; source: string; text: string }
type Surface = 'result' | 'description';

function rates(payloads: Item[], benign: Item[], surface: Surface): { caught: number; blocked: number } {
  const caught = payloads.filter((p) => classify(p.text, surface).verdict === 'likely_injection').length;
  const blocked = benign.filter((b) => classify(b.text, surface).verdict === 'likely_injection').length;
  return { caught: caught / payloads.length, blocked: blocked / benign.length };
}

describe('detection corpus (issue 12)', () => {
  it('holds at least 1,000 payloads in at least 15 families and the dev and held-out splits share no text', () => {
    const all = [...(devPayloads() as Item[]), ...(heldoutPayloads() as Item[]), ...(heldout2Payloads() as Item[])];
    expect(all.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(all.map((p) => p.family)).size).toBeGreaterThanOrEqual(15);
    const dev = new Set([...(devPayloads() as Item[]), ...(devBenign() as Item[])].map((i) => i.text));
    const heldout = [...(heldoutPayloads() as Item[]), ...(heldoutBenign() as Item[])];
    const heldout2 = [...(heldout2Payloads() as Item[]), ...(heldout2Benign() as Item[])];
    expect([...heldout, ...heldout2].filter((i) => dev.has(i.text))).toEqual([]);
    const first = new Set(heldout.map((i) => i.text));
    expect(heldout2.filter((i) => first.has(i.text))).toEqual([]);
  });

  it('holds a second held-out split of at least 300 payloads and 300 benign texts', () => {
    expect((heldout2Payloads() as Item[]).length).toBeGreaterThanOrEqual(300);
    expect((heldout2Benign() as Item[]).length).toBeGreaterThanOrEqual(300);
  });

  it('holds a third held-out split of at least 300 payloads over the 20 families and 300 benign texts, sharing no text with the others', () => {
    const payloads = heldout3Payloads() as Item[];
    const benign = heldout3Benign() as Item[];
    expect(payloads.length).toBeGreaterThanOrEqual(300);
    expect(new Set(payloads.map((p) => p.family)).size).toBe(20);
    expect(benign.length).toBeGreaterThanOrEqual(300);
    const others = new Set(
      [devPayloads, devBenign, heldoutPayloads, heldoutBenign, heldout2Payloads, heldout2Benign].flatMap((f) => (f() as Item[]).map((i) => i.text)),
    );
    expect([...payloads, ...benign].filter((i) => others.has(i.text))).toEqual([]);
  });

  it('holds a fourth held-out split of at least 300 payloads over the 20 families and 300 benign texts, sharing no text with the others', () => {
    const payloads = heldout4Payloads() as Item[];
    const benign = heldout4Benign() as Item[];
    expect(payloads.length).toBeGreaterThanOrEqual(300);
    expect(new Set(payloads.map((p) => p.family)).size).toBe(20);
    expect(benign.length).toBeGreaterThanOrEqual(300);
    const others = new Set(
      [devPayloads, devBenign, heldoutPayloads, heldoutBenign, heldout2Payloads, heldout2Benign, heldout3Payloads, heldout3Benign].flatMap((f) => (f() as Item[]).map((i) => i.text)),
    );
    expect([...payloads, ...benign].filter((i) => others.has(i.text))).toEqual([]);
  });

  // Floors a little under the figures measured when the model was committed (README "Detection"),
  // so a change that loses detection fails here. Only totals are asserted: the held-out split is
  // never inspected item by item.
  // The fifth pass trains on dev2 too and calibrates at 2% of the dev benign texts, dev2's hard
  // genres included: dev 63.2% / 64.5% blocked and no benign text; dev2 49.2% / 50.3% and 2.5% / 2.7%.
  it.each(['result', 'description'] as const)('keeps the dev split figures on the %s surface', (surface) => {
    const r = rates(devPayloads() as Item[], devBenign() as Item[], surface);
    expect(r.caught).toBeGreaterThanOrEqual(0.62);
    expect(r.blocked).toBeLessThanOrEqual(0.01);
    const r2 = rates(dev2Payloads() as Item[], dev2Benign() as Item[], surface);
    expect(r2.caught).toBeGreaterThanOrEqual(0.48);
    expect(r2.blocked).toBeLessThanOrEqual(0.03);
  });

  // The held-out splits are run once, after the model is committed (README "Detection quality").
  // With the fourth pass's model: the first split 86.7% of payloads blocked as results, 86.5% as
  // descriptions, 1.4% of benign texts blocked; the second 85.5% / 85.0%, 5.7% / 4.8%; the third
  // 69.0% / 69.7%, 3.4% / 3.7%; the fourth (written before that pass, measured once) 85.8% / 84.1%,
  // 11.9% / 12.2%. These floors only catch a regression; they are not the targets, which
  // are not met.
  it.each(['result', 'description'] as const)('keeps the held-out figures measured at commit on the %s surface', (surface) => {
    const r = rates(heldoutPayloads() as Item[], heldoutBenign() as Item[], surface);
    expect(r.caught).toBeGreaterThanOrEqual(0.84);
    expect(r.blocked).toBeLessThanOrEqual(0.02);
  });

  it.each(['result', 'description'] as const)('keeps the second held-out figures measured at commit on the %s surface', (surface) => {
    const r = rates(heldout2Payloads() as Item[], heldout2Benign() as Item[], surface);
    expect(r.caught).toBeGreaterThanOrEqual(0.83);
    expect(r.blocked).toBeLessThanOrEqual(0.06);
  });

  it.each(['result', 'description'] as const)('keeps the third held-out figures measured at commit on the %s surface', (surface) => {
    const r = rates(heldout3Payloads() as Item[], heldout3Benign() as Item[], surface);
    expect(r.caught).toBeGreaterThanOrEqual(0.67);
    expect(r.blocked).toBeLessThanOrEqual(0.04);
  });

  it.each(['result', 'description'] as const)('keeps the fourth held-out figures measured at commit on the %s surface', (surface) => {
    const r = rates(heldout4Payloads() as Item[], heldout4Benign() as Item[], surface);
    expect(r.caught).toBeGreaterThanOrEqual(0.82);
    expect(r.blocked).toBeLessThanOrEqual(0.125);
  });
});
