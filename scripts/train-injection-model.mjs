// Trains the injection model and writes src/scan/patterns/injection-model.ts and
// src/scan/patterns/ngram-model.ts. Deterministic: fixed start (zero weights), full-batch gradient
// steps (Adam for the n-grams), a fixed number of them, folds fixed by split, no randomness, so the
// same corpus and features always give the same weights.
//
// What it learns from: the dev split, and held-out splits 1–4, RETIRED into training. Each of those
// was written by another author, measured once as held-out, and its figures then guided a pass, so
// it no longer measures anything; as training data it is the best we have, text we did not write to
// fit the detector. Held-out 5 is never read here: it is the one figure we quote.
//
// Two stages. (1) The n-gram model (src/scan/ngram-score.ts): a text scores its likeliest sentence,
// so training follows that sentence (multiple-instance logistic regression, the gradient shared
// among sentences by softmax). (2) The linear model over the structural features, whose `ngram`
// inputs are n-gram scores from a model that did not see the item's split: the weight they get is
// what n-grams are worth on another author's text, not on memorised text.
//
// Calibration is out of fold too: each split is scored by the whole pipeline trained on the
// others, and the thresholds are set on those scores. (Set on the final model's own training
// texts, 1% of dev benign blocked became 12% and 23% on the next two held-out splits.)
// Usage: npm run build && node scripts/train-injection-model.mjs && npm run build
import { writeFileSync } from 'node:fs';
import { payloadCarriers } from '../test/fixtures/detection/dev-injection.mjs';
import { payloadCarriers as dev2Carriers } from '../test/fixtures/detection/dev2-injection.mjs';
import { attacks as oldAttacks } from '../test/fixtures/corpus/injection-attacks.mjs';
import { benign as oldBenign } from '../test/fixtures/corpus/injection-benign.mjs';

const dist = new URL('../dist/scan/', import.meta.url);
const { featureVectors } = await import(new URL('injection-classifier.js', dist).href);
const { FEATURES, F } = await import(new URL('injection-features.js', dist).href);
const { sentenceLogit, NGRAM_BITS, NGRAM_LENGTH_PRIOR } = await import(new URL('ngram-score.js', dist).href);

const STEPS = 6000;
const RATE = 1.0;
const L2 = 0.002;
const NGRAM_STEPS = 300;
const NGRAM_RATE = 0.05;
const NGRAM_L2 = 0.00001;
/** Training splits, each one author's (the fold of cross-validation). Never `heldout5`. */
const SPLITS = ['dev', 'dev2', 'heldout', 'heldout2', 'heldout3', 'heldout4'];
const FOLDS = SPLITS.length;
/**
 * Largest share of benign texts a surface may block, out of fold (each split scored by a pipeline
 * that never read it): the 2%. Out-of-fold scores are what a new author's text gets, so
 * this is the rate to expect on it; the recall it leaves is printed, and is what it is.
 */
const MAX_BENIGN_BLOCKED = 0.02;
const SURFACES = ['result', 'description'];
/**
 * Evidence only adds: every feature but these two may not lower the score (projected gradient
 * descent keeps the other weights at or above zero). Without it, features that fire together
 * (a vocative and the count of moves it adds to) trade weight and one goes negative, which would
 * make an attack look safer for saying more.
 */
const MAY_LOWER = new Set(['cited', 'imperative_share']);
const sigmoid = (z) => 1 / (1 + Math.exp(-z));

// Items: every training split's texts, rea 0.5's corpus (with dev), and the dev benign texts in
// the payloads' carriers. Folds by split: a held-out text comes from an author the model has not
// read, so each fold is one author's. (Folds by item let the n-grams recognise an author's phrasing
// and carriers, which made their scores far more optimistic than on new texts.)
const items = [];
const splitItems = async (split) => {
  const [{ payloads }, { benign }] = await Promise.all([import(`../test/fixtures/detection/${split}-injection.mjs`), import(`../test/fixtures/detection/${split}-benign.mjs`)]);
  return { payloads: payloads(), benign: benign() };
};
for (const [fold, split] of SPLITS.entries()) {
  const { payloads, benign } = await splitItems(split);
  for (const p of payloads) items.push({ text: p.text, label: 1, fold, split, surfaces: p.family === 'description_poisoning' ? ['description'] : SURFACES });
  for (const b of benign) items.push({ text: b.text, label: 0, fold, split, surfaces: SURFACES });
  // The benign texts of the splits written to tune on also go into the payloads' carriers, so a
  // carrier is never evidence by itself.
  const carriers = { dev: payloadCarriers, dev2: dev2Carriers }[split];
  if (carriers === undefined) continue;
  if (split === 'dev') for (const p of oldAttacks()) items.push({ text: p.text, label: 1, fold, split, surfaces: ['result'] });
  if (split === 'dev') for (const b of oldBenign()) items.push({ text: b.text, label: 0, fold, split, surfaces: SURFACES });
  benign.forEach((b, i) => {
    const carrier = carriers[i % carriers.length];
    items.push({ text: carrier.wrap(b.text, () => 0.5), label: 0, fold, split, surfaces: ['result'], augmented: true });
  });
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
    samples.push({ surface, label: it.label, fold: it.fold, outer, inner, augmented: it.augmented === true });
  }
}

const n = FEATURES.length;
const dot = (model, x) => x.reduce((acc, v, i) => acc + v * model.w[i], 0);
const features = (model, s) => {
  const x = Float64Array.from(s.outer);
  for (const inner of s.inner) x[F.encoded] = Math.max(x[F.encoded], sigmoid(model.bias[s.surface] + dot(model, inner)));
  return x;
};
/** As the classifier scores: the text, or a payload decoded from it, whichever reads likelier. */
const probOf = (model, s) => {
  const x = features(model, s);
  return Math.max(sigmoid(model.bias[s.surface] + dot(model, x)), x[F.encoded]);
};

function trainLinear(train) {
  const model = { w: new Float64Array(n), bias: { result: 0, description: 0 } };
  // Balance the classes so the larger one does not set the bias alone.
  const positives = train.filter((s) => s.label === 1).length;
  const weightOf = (s) => (s.label === 1 ? train.length / (2 * positives) : train.length / (2 * (train.length - positives)));
  for (let step = 0; step < STEPS; step++) {
    const grad = new Float64Array(n);
    const gradBias = { result: 0, description: 0 };
    for (const s of train) {
      const x = features(model, s);
      const err = (sigmoid(model.bias[s.surface] + dot(model, x)) - s.label) * weightOf(s);
      for (let i = 0; i < n; i++) grad[i] += err * x[i];
      gradBias[s.surface] += err;
    }
    for (let i = 0; i < n; i++) {
      model.w[i] -= RATE * (grad[i] / train.length + L2 * model.w[i]);
      if (model.w[i] < 0 && !MAY_LOWER.has(FEATURES[i][0])) model.w[i] = 0;
    }
    for (const surface of SURFACES) model.bias[surface] -= (RATE * gradBias[surface]) / train.length;
  }
  return model;
}

// Out of fold: every sample scored by a linear model that did not see its split.
for (let fold = 0; fold < FOLDS; fold++) {
  const model = trainLinear(samples.filter((s) => s.fold !== fold));
  for (const s of samples) if (s.fold === fold) s.oof = probOf(model, s);
  console.error(`linear fold ${fold} (${SPLITS[fold]}) trained`);
}
const model = trainLinear(samples);
const w = model.w;
const bias = model.bias;

const round = (v) => Math.round(v * 1000) / 1000;
const share = (list, cut) => `${list.filter((p) => p >= cut).length}/${list.length}`;
const thresholds = {};
for (const surface of SURFACES) {
  const scored = samples.filter((s) => s.surface === surface && !s.augmented);
  const oof = (label, fold) => scored.filter((s) => s.label === label && (fold === undefined || s.fold === fold)).map((s) => s.oof);
  const benignOof = oof(0).sort((a, b) => b - a);
  const allowed = Math.floor(benignOof.length * MAX_BENIGN_BLOCKED);
  const likely = Math.max(0.5, round((benignOof[allowed] ?? 0) + 0.001));
  thresholds[surface] = { suspicious: round(Math.max(0.45, likely - 0.05)), likely };
  console.error(`${surface}: likely at ${likely}; out of fold, payloads caught ${share(oof(1), likely)}, benign blocked ${share(benignOof, likely)}`);
  for (let fold = 0; fold < FOLDS; fold++) console.error(`  ${SPLITS[fold].padEnd(9)} payloads ${share(oof(1, fold), likely)}, benign ${share(oof(0, fold), likely)}`);
  const curve = [0.005, 0.01, 0.02, 0.05, 0.1].map((rate) => `${rate * 100}% → ${share(oof(1), benignOof[Math.floor(benignOof.length * rate)] + 0.001)}`);
  console.error(`  out-of-fold trade-off, benign blocked → payloads caught: ${curve.join(', ')}`);
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
