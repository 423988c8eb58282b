// Trains the injection model on the DEV split only (dev-*.mjs, dev2-*.mjs and rea 0.5's corpus; never a
// held-out split) and writes
// src/scan/patterns/injection-model.ts and src/scan/patterns/ngram-model.ts. Deterministic: fixed
// start (zero weights), full-batch gradient steps (Adam for the n-grams), a fixed number of them, folds fixed by
// family, no randomness, so the same corpus and features always give the same weights.
//
// Two stages. (1) The n-gram model (src/scan/ngram-score.ts): a text scores its likeliest sentence,
// so training follows that sentence (multiple-instance logistic regression, the gradient shared
// among sentences by softmax). (2) The linear model over the structural features, whose `ngram`
// inputs are n-gram scores from a model that did not see the item's family or genre (5 folds): the
// weight they get is what n-grams are worth on unseen text, not on memorised text.
// Usage: npm run build && node scripts/train-injection-model.mjs && npm run build
// `--oof` also reports, per family and genre, what models that never saw them block (the honest
// dev figure); `--oof --misses` lists those misses and false positives on stdout.
import { writeFileSync } from 'node:fs';
import { payloads, payloadCarriers } from '../test/fixtures/detection/dev-injection.mjs';
import { benign } from '../test/fixtures/detection/dev-benign.mjs';
import { payloads as payloads2 } from '../test/fixtures/detection/dev2-injection.mjs';
import { benign as benign2 } from '../test/fixtures/detection/dev2-benign.mjs';
import { attacks as oldAttacks } from '../test/fixtures/corpus/injection-attacks.mjs';
import { benign as oldBenign } from '../test/fixtures/corpus/injection-benign.mjs';

const dist = new URL('../dist/scan/', import.meta.url);
const { featureVectors } = await import(new URL('injection-classifier.js', dist).href);
const { FEATURES, F, MAY_LOWER, LOWER_LIMIT } = await import(new URL('injection-features.js', dist).href);
const { sentenceLogit, NGRAM_BITS, NGRAM_LENGTH_PRIOR } = await import(new URL('ngram-score.js', dist).href);

const STEPS = 6000;
const RATE = 1.0;
const L2 = 0.002;
const NGRAM_STEPS = 300;
const NGRAM_RATE = 0.05;
const NGRAM_L2 = 0.00001;
const FOLDS = 5;
/**
 * Largest share of dev benign texts a surface may block; the threshold is set to meet it. The
 * issue's 2%, now that dev2 holds the genres held-out splits blocked most (security write-ups that
 * quote attacks, code holding prompts, READMEs and runbooks, prompt guides, AI policies): the
 * quantile is taken on them, not only on easier texts. (The fourth pass used 1% of dev alone, and
 * blocked 12% of the fourth held-out split's benign texts.) `--oof` prints what other shares
 * would cost in payloads on texts no model saw.
 */
const MAX_BENIGN_BLOCKED = 0.02;
/**
 * The second threshold, `suspicious`: the share of dev benign texts it may flag. A suspicious text
 * only warns when read, and blocks at write and destructive tiers (THREAT_MODEL.md T13), so it can
 * reach further than `likely` and keep more payloads from acting.
 */
const MAX_BENIGN_FLAGGED = 0.05;
const SURFACES = ['result', 'description'];
// Which features may lower the score, and how far: MAY_LOWER and LOWER_LIMIT in injection-features.ts.
const sigmoid = (z) => 1 / (1 + Math.exp(-z));

// Items: every dev and dev2 text, rea 0.5's corpus, and the dev benign texts in the payloads' carriers.
const items = [];
for (const p of [...payloads(), ...payloads2()]) items.push({ text: p.text, label: 1, group: p.family, surfaces: p.family === 'description_poisoning' ? ['description'] : SURFACES });
for (const p of oldAttacks()) items.push({ text: p.text, label: 1, group: 'old-attacks', surfaces: ['result'] });
const devBenign = benign();
for (const b of devBenign) items.push({ text: b.text, label: 0, group: b.family, surfaces: SURFACES });
// dev2's benign texts already sit in the carriers of its payloads (dev2-benign.mjs).
for (const b of benign2()) items.push({ text: b.text, label: 0, group: b.family, surfaces: SURFACES });
for (const b of oldBenign()) items.push({ text: b.text, label: 0, group: 'old-benign', surfaces: SURFACES });
devBenign.forEach((b, i) => {
  const carrier = payloadCarriers[i % payloadCarriers.length];
  items.push({ text: carrier.wrap(b.text, () => 0.5), label: 0, group: `wrapped-${b.family}`, surfaces: ['result'], augmented: true });
});
// Folds by family (payloads) and genre (benign texts): each n-gram score the linear model learns
// from comes from a model that never saw that family or genre, as a held-out text's would. (Folds
// by item, or by blocks of items, let the n-grams recognise a family's phrasing and carriers,
// which made their dev scores far more optimistic than their scores on new texts.)
for (const item of items) {
  // A benign text wrapped in a payload carrier stays in its genre's fold: its words are the genre's.
  item.fold = hash(item.group.replace(/^wrapped-/, '')) % FOLDS;
  item.vectors = Object.fromEntries(item.surfaces.map((s) => [s, featureVectors(item.text, s)]));
  // The n-grams read the same sentences on every surface (the description and result surfaces).
  const v = item.vectors[item.surfaces[0]];
  item.sentences = sentencesOf(v.grams);
  item.innerSentences = v.innerGrams.map(sentencesOf);
}

function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function sentencesOf(grams) {
  return grams.map(({ buckets, foreign }) => ({ buckets, foreign, norm: 1 / Math.sqrt(buckets.length + NGRAM_LENGTH_PRIOR) }));
}

// Stage 1: the n-gram model. A text's score is its best sentence's; the gradient is shared among
// its sentences by softmax (a smoothed max), which keeps the argmax from flipping between steps,
// and Adam steps (fixed order, no sampling) keep it deterministic.
function trainNgram(train) {
  const size = 1 << NGRAM_BITS;
  const model = { weights: new Float32Array(size), bias: 0 };
  const usable = train.filter((it) => it.sentences.length > 0);
  const positives = usable.filter((it) => it.label === 1).length;
  const weightOf = (it) => (it.label === 1 ? usable.length / (2 * positives) : usable.length / (2 * (usable.length - positives)));
  const w = new Float64Array(size + 1); // the bias last
  const m = new Float64Array(size + 1);
  const v = new Float64Array(size + 1);
  const [b1, b2] = [0.9, 0.999];
  for (let step = 1; step <= NGRAM_STEPS; step++) {
    const grad = new Float64Array(size + 1);
    for (const it of usable) {
      const zs = it.sentences.map((s) => logitOf(model, s));
      const best = Math.max(...zs);
      const err = (sigmoid(best) - it.label) * weightOf(it);
      const shares = zs.map((z) => Math.exp(z - best));
      const total = shares.reduce((a, b) => a + b, 0);
      it.sentences.forEach((s, k) => {
        const g = (err * shares[k]) / total;
        for (const b of s.buckets) grad[b] += g * s.norm;
      });
      grad[size] += err;
    }
    for (let i = 0; i <= size; i++) {
      const g = grad[i] / usable.length + (i < size ? NGRAM_L2 * w[i] : 0);
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      w[i] -= (NGRAM_RATE * (m[i] / (1 - b1 ** step))) / (Math.sqrt(v[i] / (1 - b2 ** step)) + 1e-8);
      if (i < size) model.weights[i] = w[i];
    }
    model.bias = w[size];
  }
  return model;
}

function logitOf(model, sentence) {
  let sum = 0;
  for (const b of sentence.buckets) sum += model.weights[b];
  return sentenceLogit(model.bias, sum, sentence.buckets.length);
}

/** As ngramScores() does: the best English sentence, the best sentence in another language. */
function scoreSentences(model, sentences) {
  const best = { english: -Infinity, foreign: -Infinity };
  for (const s of sentences) {
    const kind = s.foreign ? 'foreign' : 'english';
    best[kind] = Math.max(best[kind], logitOf(model, s));
  }
  const p = (z) => (z === -Infinity ? 0 : sigmoid(z));
  return { english: p(best.english), foreign: p(best.foreign) };
}

// Out-of-fold n-gram scores for stage 2; then the committed n-gram model, on every item.
for (let fold = 0; fold < FOLDS; fold++) {
  const model = trainNgram(items.filter((it) => it.fold !== fold));
  for (const it of items.filter((it) => it.fold === fold)) {
    it.ngram = scoreSentences(model, it.sentences);
    it.innerNgram = it.innerSentences.map((s) => scoreSentences(model, s));
  }
  console.error(`n-gram fold ${fold} trained`);
}
const ngramModel = trainNgram(items);
const auc = (scores) => {
  const pos = scores.filter((s) => s.label === 1).map((s) => s.p);
  const neg = scores.filter((s) => s.label === 0).map((s) => s.p);
  let wins = 0;
  for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return wins / (pos.length * neg.length);
};
console.error(`n-gram out-of-fold AUC ${auc(items.map((it) => ({ label: it.label, p: Math.max(it.ngram.english, it.ngram.foreign) }))).toFixed(3)}`);

// Stage 2: the linear model.
const samples = [];
for (const it of items) {
  for (const surface of it.surfaces) {
    const v = it.vectors[surface];
    const outer = Float64Array.from(v.outer);
    outer[F.ngram] = it.ngram.english;
    outer[F.ngram_foreign] = it.ngram.foreign;
    const inner = v.inner.map((x, k) => {
      const y = Float64Array.from(x);
      y[F.ngram] = it.innerNgram[k].english;
      y[F.ngram_foreign] = it.innerNgram[k].foreign;
      return y;
    });
    samples.push({ surface, label: it.label, outer, inner, augmented: it.augmented === true, fold: it.fold, group: it.group, text: it.text });
  }
}

const n = FEATURES.length;
// Balance the classes so the larger one does not set the bias alone.
function trainLinear(train) {
  const w = new Float64Array(n);
  const bias = { result: 0, description: 0 };
  const model = { w, bias };
  const positives = train.filter((s) => s.label === 1).length;
  const weightOf = (s) => (s.label === 1 ? train.length / (2 * positives) : train.length / (2 * (train.length - positives)));
  for (let step = 0; step < STEPS; step++) {
    const grad = new Float64Array(n);
    const gradBias = { result: 0, description: 0 };
    for (const s of train) {
      const x = features(model, s);
      const err = (sigmoid(bias[s.surface] + dot(w, x)) - s.label) * weightOf(s);
      for (let i = 0; i < n; i++) grad[i] += err * x[i];
      gradBias[s.surface] += err;
    }
    for (let i = 0; i < n; i++) {
      w[i] -= RATE * (grad[i] / train.length + L2 * w[i]);
      if (w[i] < 0) w[i] = MAY_LOWER.has(FEATURES[i][0]) ? Math.max(w[i], -LOWER_LIMIT) : 0;
    }
    for (const s of SURFACES) bias[s] -= (RATE * gradBias[s]) / train.length;
  }
  return model;
}

function dot(w, x) {
  let z = 0;
  for (let i = 0; i < n; i++) z += x[i] * w[i];
  return z;
}

/** The outer features, with `encoded` from the decoded payloads as this model scores them. */
function features(model, s) {
  const x = Float64Array.from(s.outer);
  for (const inner of s.inner) x[F.encoded] = Math.max(x[F.encoded], sigmoid(model.bias[s.surface] + dot(model.w, inner)));
  return x;
}

/** As the classifier scores: the text, or a payload decoded from it, whichever reads likelier. */
function probability(model, s) {
  const x = features(model, s);
  return Math.max(sigmoid(model.bias[s.surface] + dot(model.w, x)), x[F.encoded]);
}

const round = (v) => Math.round(v * 1000) / 1000;

/** Per surface, the lowest thresholds that block at most MAX_BENIGN_BLOCKED and flag at most MAX_BENIGN_FLAGGED of the benign texts. */
function calibrate(model, train) {
  const thresholds = {};
  for (const surface of SURFACES) {
    const benignProbs = train.filter((s) => s.surface === surface && s.label === 0 && !s.augmented).map((s) => probability(model, s)).sort((a, b) => b - a);
    const quantile = (share) => round((benignProbs[Math.floor(benignProbs.length * share)] ?? 0) + 0.001);
    const likely = Math.max(0.5, quantile(MAX_BENIGN_BLOCKED));
    thresholds[surface] = { suspicious: round(Math.max(0.45, Math.min(quantile(MAX_BENIGN_FLAGGED), likely - 0.05))), likely };
  }
  return thresholds;
}

/** Blocked share per surface and per family or genre, of texts a model and its threshold never saw. */
function reportOutOfFold(listing) {
  const rows = new Map();
  const pooled = { result: [], description: [] };
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = samples.filter((s) => s.fold !== fold);
    const model = trainLinear(train);
    const thresholds = calibrate(model, train);
    for (const s of samples.filter((x) => x.fold === fold && !x.augmented)) {
      const key = `${s.label === 1 ? 'payload' : 'benign'}:${s.group}`;
      const row = rows.get(key) ?? rows.set(key, { result: [0, 0], description: [0, 0] }).get(key);
      row[s.surface][1]++;
      const p = probability(model, s);
      pooled[s.surface].push({ p, label: s.label });
      const blocked = p >= thresholds[s.surface].likely;
      if (blocked) row[s.surface][0]++;
      if (listing && blocked !== (s.label === 1)) console.log(s.label === 1 ? 'MISS' : 'FP', s.surface, s.group, p.toFixed(2), JSON.stringify(s.text).slice(0, 300));
    }
    console.error(`linear fold ${fold} trained`);
  }
  const pct = ([k, t]) => (t === 0 ? '-' : `${k}/${t} ${((100 * k) / t).toFixed(1)}%`);
  const sums = {};
  for (const [key, row] of [...rows].sort()) {
    console.error(`oof ${key.padEnd(34)} result ${pct(row.result).padEnd(16)} description ${pct(row.description)}`);
    const kind = key.split(':')[0];
    sums[kind] ??= { result: [0, 0], description: [0, 0] };
    for (const surface of SURFACES) for (const j of [0, 1]) sums[kind][surface][j] += row[surface][j];
  }
  for (const [kind, row] of Object.entries(sums)) console.error(`oof ALL ${kind.padEnd(30)} result ${pct(row.result).padEnd(16)} description ${pct(row.description)}`);
  // The trade-off on texts no model saw: payloads blocked when a threshold blocks this share of benign texts.
  for (const surface of SURFACES) {
    const benignProbs = pooled[surface].filter((x) => x.label === 0).map((x) => x.p).sort((a, b) => b - a);
    const payloadProbs = pooled[surface].filter((x) => x.label === 1).map((x) => x.p);
    const points = [0.01, 0.02, 0.05].map((share) => {
      const t = benignProbs[Math.floor(benignProbs.length * share)] ?? 1;
      return `${share * 100}% benign: ${((100 * payloadProbs.filter((p) => p > t).length) / payloadProbs.length).toFixed(1)}% payloads`;
    });
    console.error(`oof trade-off ${surface.padEnd(12)} ${points.join(', ')}`);
  }
}

if (process.argv.includes('--oof')) reportOutOfFold(process.argv.includes('--misses'));
const { w, bias } = trainLinear(samples);
const thresholds = calibrate({ w, bias }, samples);
for (const surface of SURFACES) {
  const on = samples.filter((s) => s.surface === surface && !s.augmented);
  const blocked = (label) => on.filter((s) => s.label === label && probability({ w, bias }, s) >= thresholds[surface].likely).length;
  console.error(`${surface}: likely at ${thresholds[surface].likely}, dev payloads caught ${blocked(1)}/${on.filter((s) => s.label === 1).length} (n-gram input out of fold), dev benign blocked ${blocked(0)}/${on.filter((s) => s.label === 0).length}`);
}

const names = FEATURES.map(([name]) => name);
writeFileSync(
  new URL('../src/scan/patterns/injection-model.ts', import.meta.url),
  `// Generated by scripts/train-injection-model.mjs from the dev corpus; do not edit by hand.
// Weights of the injection model, in FEATURES order (src/scan/injection-features.ts).
export const MODEL = {
  features: ${JSON.stringify(names)},
  weights: ${JSON.stringify([...w].map(round))},
  bias: ${JSON.stringify({ result: round(bias.result), description: round(bias.description) })},
  thresholds: ${JSON.stringify(thresholds)},
} as const;
`,
);
// The n-gram weights as signed bytes: small to commit, and exact to reproduce.
let max = 0;
for (const v of ngramModel.weights) max = Math.max(max, Math.abs(v));
const scale = max === 0 ? 0 : max / 127;
const bytes = Buffer.from(Int8Array.from(ngramModel.weights, (v) => (scale === 0 ? 0 : Math.round(v / scale))).buffer);
writeFileSync(
  new URL('../src/scan/patterns/ngram-model.ts', import.meta.url),
  `// Generated by scripts/train-injection-model.mjs from the dev corpus; do not edit by hand.
// Character n-gram weights (src/scan/ngram-score.ts): 2^${NGRAM_BITS} signed bytes in base64, times \`scale\`.
export const NGRAM_MODEL = {
  bits: ${NGRAM_BITS},
  scale: ${scale.toPrecision(6)},
  bias: ${round(ngramModel.bias)},
  weights: '${bytes.toString('base64')}',
} as const;
`,
);
for (let i = 0; i < n; i++) console.error(`${names[i].padEnd(24)} ${round(w[i])}`);
