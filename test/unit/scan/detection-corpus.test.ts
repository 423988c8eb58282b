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
// @ts-expect-error plain ESM fixture without types
import { payloads as heldout5Payloads } from '../../fixtures/detection/heldout5-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as heldout5Benign } from '../../fixtures/detection/heldout5-benign.mjs';
// @ts-expect-error plain ESM fixture without types
import { payloads as heldout6Payloads } from '../../fixtures/detection/heldout6-injection.mjs';
// @ts-expect-error plain ESM fixture without types
import { benign as heldout6Benign } from '../../fixtures/detection/heldout6-benign.mjs';

interface Item { family: string; source: string; text: string }
type Surface = 'result' | 'description';

function rates(payloads: Item[], benign: Item[], surface: Surface): { caught: number; blocked: number } {
  const caught = payloads.filter((p) => classify(p.text, surface).verdict === 'likely_injection').length;
  const blocked = benign.filter((b) => classify(b.text, surface).verdict === 'likely_injection').length;
  return { caught: caught / payloads.length, blocked: blocked / benign.length };
}

/** A held-out split's structure: at least `min` of each kind, the 20 families, no text twice, none from `earlier`. */
function expectHeldOutSplit(payloads: Item[], benign: Item[], min: number, earlier: (() => unknown)[]): void {
  expect(payloads.length).toBeGreaterThanOrEqual(min);
  expect(new Set(payloads.map((p) => p.family))).toEqual(new Set((heldout4Payloads() as Item[]).map((p) => p.family)));
  expect(benign.length).toBeGreaterThanOrEqual(min);
  expect(new Set([...payloads, ...benign].map((i) => i.text)).size).toBe(payloads.length + benign.length);
  const others = new Set(earlier.flatMap((f) => (f() as Item[]).map((i) => i.text)));
  expect([...payloads, ...benign].filter((i) => others.has(i.text))).toEqual([]);
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

  // Structure: sizes, the 20 families, no text twice, none shared with an earlier split (their
  // detection floors are further down).
  it('holds a fifth held-out split of at least 320 payloads over the 20 families and 320 benign texts, sharing no text with the others', () => {
    expectHeldOutSplit(heldout5Payloads() as Item[], heldout5Benign() as Item[], 320, [devPayloads, devBenign, heldoutPayloads, heldoutBenign, heldout2Payloads, heldout2Benign, heldout3Payloads, heldout3Benign, heldout4Payloads, heldout4Benign]);
  });

  it('holds a sixth held-out split of at least 400 payloads over the 20 families and 400 benign texts, sharing no text with the others', () => {
    expectHeldOutSplit(heldout6Payloads() as Item[], heldout6Benign() as Item[], 400, [devPayloads, devBenign, dev2Payloads, dev2Benign, heldoutPayloads, heldoutBenign, heldout2Payloads, heldout2Benign, heldout3Payloads, heldout3Benign, heldout4Payloads, heldout4Benign, heldout5Payloads, heldout5Benign]);
  });

  // Floors a little under the figures measured when the model was committed (README "Detection
  // quality"): dev 80.8% / 79.9% blocked, no benign; dev2 59.8% / 59.1%, 1.4% / 1.5%; the retired
  // held-out splits 90.5% / 90.0%, 86.1% / 85.5%, 76.9% / 76.0%, 85.1% / 84.4%, 0–0.7% benign.
  // A change that loses detection fails here. Only totals are asserted. The model is
  // trained on all six of these splits (held-out 1–4 retired into training), so these are figures
  // on texts it has read; the honest ones are out of fold (printed by the training script) and on
  // held-out 5, below.
  const trained: [string, () => Item[], () => Item[], number, number][] = [
    ['dev', devPayloads, devBenign, 0.74, 0.005],
    ['dev2', dev2Payloads, dev2Benign, 0.56, 0.02],
    ['heldout (retired)', heldoutPayloads, heldoutBenign, 0.88, 0.005],
    ['heldout2 (retired)', heldout2Payloads, heldout2Benign, 0.84, 0.005],
    ['heldout3 (retired)', heldout3Payloads, heldout3Benign, 0.73, 0.005],
    ['heldout4 (retired)', heldout4Payloads, heldout4Benign, 0.82, 0.015],
  ];
  describe.each(['result', 'description'] as const)('on the %s surface', (surface) => {
    it.each(trained)('keeps the %s figures it was trained to', (_name, payloads, benign, floor, ceiling) => {
      const r = rates(payloads(), benign(), surface);
      expect(r.caught).toBeGreaterThanOrEqual(floor);
      expect(r.blocked).toBeLessThanOrEqual(ceiling);
    });

    // Held-out 5 was written before the model's pass of 2026-12-05 and measured once after it was
    // committed (63.5% / 61.8% of its payloads blocked, 6.7% / 6.2% of its benign texts), and once
    // after the unclosed-quotation fix and retraining (62.9% / 62.1%, 6.7% / 6.7%). Held-out 6 was
    // written blind later that day and measured twice, before and after that fix (54.1% / 51.3% and
    // 53.5% / 51.7% blocked; 9.3% / 8.4% and 9.3% / 8.8% of benign texts). Floors under those, so a
    // later change that loses detection on text it never read fails here; they are not the issue's
    // target (95% / 2%), which is not met.
    it.each([
      ['fifth', heldout5Payloads, heldout5Benign, 0.6, 0.07],
      ['sixth', heldout6Payloads, heldout6Benign, 0.5, 0.1],
    ] as [string, () => Item[], () => Item[], number, number][])('keeps the %s held-out figures measured at commit', (_name, payloads, benign, floor, ceiling) => {
      const r = rates(payloads(), benign(), surface);
      expect(r.caught).toBeGreaterThanOrEqual(floor);
      expect(r.blocked).toBeLessThanOrEqual(ceiling);
    });
  });
});
