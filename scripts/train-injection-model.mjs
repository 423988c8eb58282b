// Trains the injection model and writes src/scan/patterns/injection-model.ts and
// src/scan/patterns/ngram-model.ts. Deterministic: fixed start (zero weights), full-batch gradient
// steps (Adam for the n-grams), a fixed number of them, folds fixed by split, no randomness, so the
// same corpus and features always give the same weights.
//
// What it learns from: the dev splits (dev, dev2, rea 0.5's corpus) and held-out splits 1–4,
// RETIRED into training. Each of those was written by another author, measured once as held-out,
// and its figures then guided a pass, so it no longer measures anything; as training data it is
// text not written to fit the detector. Held-out 5 is never read here: it is the figure we quote.
//
// Two stages. (1) The n-gram model (src/scan/ngram-score.ts): a text scores its likeliest sentence,
// so training follows that sentence (multiple-instance logistic regression, the gradient shared
// among sentences by softmax). (2) The linear model over the structural features, whose `ngram`
// inputs are n-gram scores from a model that did not read the item's split: the weight they get is
// what n-grams are worth on another author's text, not on memorised text.
//
// Calibration is out of fold too: each split is scored by a linear model trained on the others, and
// the thresholds are set on those scores. (Set on the final model's own training texts, "1% of dev
// benign blocked" became 12% and 23% on the next two held-out splits.)
// Usage: npm run build && node scripts/train-injection-model.mjs && npm run build
// `--oof` also prints the out-of-fold blocked shares per family and genre; `--oof --misses` lists
// those misses and false positives on stdout.
import { writeFileSync } from 'node:fs';
import { payloadCarriers } from '../test/fixtures/detection/dev-injection.mjs';
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
/** Training splits, each one author's: the folds of cross-validation. Never `heldout5`. */
const SPLITS = ['dev', 'dev2', 'heldout', 'heldout2', 'heldout3', 'heldout4'];
const FOLDS = SPLITS.length;
/**
 * Largest share of benign texts a surface may block, out of fold (each split scored by a model that
 * never read it): the 2%. Out-of-fold scores are what a new author's text gets, so this is
 * the rate to expect on one; the recall it leaves is printed, and is what it is.
 */
const MAX_BENIGN_BLOCKED = 0.02;
/**
 * The second threshold, `suspicious`: the share of benign texts it may flag, out of fold too. A suspicious text
 * only warns when read, and blocks at write and destructive tiers (THREAT_MODEL.md T13), so it can
 * reach further than `likely` and keep more payloads from acting.
 */
const MAX_BENIGN_FLAGGED = 0.05;
const SURFACES = ['result', 'description'];
// Which features may lower the score, and how far: MAY_LOWER and LOWER_LIMIT in injection-features.ts.
const sigmoid = (z) => 1 / (1 + Math.exp(-z));

// Items: every training split's texts, rea 0.5's corpus (with dev), and dev's benign texts in its
// payloads' carriers (dev2's benign texts already sit in its payloads' carriers). Folds by split: a
// held-out text comes from an author the model has not read, so each fold is one author's. (Folds by
// item let the n-grams recognise an author's phrasing and carriers, which made their scores far
// more optimistic than on new texts.)
const items = [];
for (const [fold, split] of SPLITS.entries()) {
  const [{ payloads }, { benign }] = await Promise.all([import(`../test/fixtures/detection/${split}-injection.mjs`), import(`../test/fixtures/detection/${split}-benign.mjs`)]);
  const add = (text, label, group, surfaces, augmented = false) => items.push({ text, label, group, fold, surfaces, augmented });
  for (const p of payloads()) add(p.text, 1, p.family, p.family === 'description_poisoning' ? ['description'] : SURFACES);
  const texts = benign();
  for (const b of texts) add(b.text, 0, b.family, SURFACES);
  if (split !== 'dev') continue;
  for (const p of oldAttacks()) add(p.text, 1, 'old-attacks', ['result']);
  for (const b of oldBenign()) add(b.text, 0, 'old-benign', SURFACES);
  texts.forEach((b, i) => add(payloadCarriers[i % payloadCarriers.length].wrap(b.text, () => 0.5), 0, `wrapped-${b.family}`, ['result'], true));
}
for (const item of items) {
  item.vectors = Object.fromEntries(item.surfaces.map((s) => [s, featureVectors(item.text, s)]));
  // The n-grams read the same sentences on every surface (the description and result surfaces).
  const v = item.vectors[item.surfaces[0]];
  item.sentences = sentencesOf(v.grams);
  item.innerSentences = v.innerGrams.map(sentencesOf);
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
    samples.push({ surface, label: it.label, outer, inner, augmented: it.augmented, fold: it.fold, group: it.group, text: it.text });
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
function calibrate(scored) {
  const thresholds = {};
  for (const surface of SURFACES) {
    const benignProbs = scored.filter((s) => s.surface === surface && s.label === 0).map((s) => s.oof).sort((a, b) => b - a);
    const quantile = (share) => round((benignProbs[Math.floor(benignProbs.length * share)] ?? 0) + 0.001);
    const likely = Math.max(0.5, quantile(MAX_BENIGN_BLOCKED));
    thresholds[surface] = { suspicious: round(Math.max(0.45, Math.min(quantile(MAX_BENIGN_FLAGGED), likely - 0.05))), likely };
  }
  return thresholds;
}

// Out of fold: every sample scored by a linear model that never read its split.
for (let fold = 0; fold < FOLDS; fold++) {
  const model = trainLinear(samples.filter((s) => s.fold !== fold));
  for (const s of samples) if (s.fold === fold) s.oof = probability(model, s);
  console.error(`linear fold ${fold} (${SPLITS[fold]}) trained`);
}
const scored = samples.filter((s) => !s.augmented);
const thresholds = calibrate(scored);
reportOutOfFold(process.argv.includes('--oof'), process.argv.includes('--misses'));
const { w, bias } = trainLinear(samples);

/** Blocked shares out of fold: per split always; per family and genre with `--oof`. */
function reportOutOfFold(perGroup, listing) {
  const pct = ([k, t]) => (t === 0 ? '-' : `${k}/${t} ${((100 * k) / t).toFixed(1)}%`);
  const rows = new Map();
  for (const s of scored) {
    const blocked = s.oof >= thresholds[s.surface].likely;
    for (const key of [`${s.label === 1 ? 'payload' : 'benign'}:${s.group}`, `split ${SPLITS[s.fold]} ${s.label === 1 ? 'payloads' : 'benign'}`, `ALL ${s.label === 1 ? 'payloads' : 'benign'}`]) {
      const row = rows.get(key) ?? rows.set(key, { result: [0, 0], description: [0, 0] }).get(key);
      row[s.surface][1]++;
      if (blocked) row[s.surface][0]++;
    }
    if (listing && blocked !== (s.label === 1)) console.log(s.label === 1 ? 'MISS' : 'FP', s.surface, SPLITS[s.fold], s.group, s.oof.toFixed(2), JSON.stringify(s.text).slice(0, 300));
  }
  for (const [key, row] of [...rows].sort()) {
    if (perGroup || !key.includes(':')) console.error(`oof ${key.padEnd(34)} result ${pct(row.result).padEnd(18)} description ${pct(row.description)}`);
  }
  // The trade-off on texts no model saw: payloads blocked when a threshold blocks this share of benign texts.
  for (const surface of SURFACES) {
    const benignProbs = scored.filter((s) => s.surface === surface && s.label === 0).map((s) => s.oof).sort((a, b) => b - a);
    const payloadProbs = scored.filter((s) => s.surface === surface && s.label === 1).map((s) => s.oof);
    const points = [0.01, 0.02, 0.05, 0.1].map((share) => {
      const t = benignProbs[Math.floor(benignProbs.length * share)] ?? 1;
      return `${share * 100}% benign: ${((100 * payloadProbs.filter((p) => p > t).length) / payloadProbs.length).toFixed(1)}% payloads`;
    });
    console.error(`oof trade-off ${surface.padEnd(12)} likely at ${thresholds[surface].likely}; ${points.join(', ')}`);
  }
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
