import { seededRng as seeded } from '../../lib/rng.ts';
import { charBigrams, normalize, words } from './segment.ts';

/**
 * A multinomial logistic regression over the words (jieba, precise mode) and character bigrams and
 * trigrams of a text: the learned part of class and kind suggestion. Pure and deterministic (seeded
 * shuffling), small enough to train in well under a second on the shipped corpus.
 */

/** Character n-grams carry this prefix so that a bigram and the word it spells stay separate features. */
const NGRAM = '~';

/** The sparse binary features of a text: its words and its CJK character bigrams and trigrams. */
export function linearFeatures(text: string): string[] {
  const t = normalize(text);
  const feats = new Set<string>(words(t));
  for (const b of charBigrams(t)) feats.add(`${NGRAM}${b}`);
  for (const run of t.match(/\p{Script=Han}+/gu) ?? [])
    for (let i = 0; i + 2 < run.length; i++) feats.add(`${NGRAM}${run.slice(i, i + 3)}`);
  return [...feats];
}

/** What an explanation shows for a feature: the word or the characters, without the n-gram mark. */
export function featureText(f: string): string {
  return f.startsWith(NGRAM) ? f.slice(NGRAM.length) : f;
}

export interface LinearModel {
  labels: string[];
  /** Feature → row in `weights` (row-major, one column per label). */
  index: Map<string, number>;
  /** Row → feature (the inverse of `index`). */
  features: string[];
  weights: Float64Array;
  bias: Float64Array;
}

export interface TrainOptions {
  epochs?: number;
  /** The learning rate at the start (it decays with 1/(1 + t/n)). */
  rate?: number;
  /** L2 penalty per update on the touched weights. */
  l2?: number;
  seed?: number;
}

interface Encoded {
  rows: Int32Array;
  y: number;
  weight: number;
}

function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp((z[i] as number) - max);
    sum += z[i] as number;
  }
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) / sum;
}

/** Trains the model by stochastic gradient descent on the cross-entropy of the labels. */
export function trainLinear(
  docs: ReadonlyArray<{ features: readonly string[]; label: string; weight?: number }>,
  options: TrainOptions = {},
): LinearModel {
  const { epochs = 30, rate = 0.5, l2 = 1e-5, seed = 1 } = options;
  const labels = [...new Set(docs.map((d) => d.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const index = new Map<string, number>();
  const encoded: Encoded[] = docs.map((d) => {
    const rows = d.features.map((f) => {
      let r = index.get(f);
      if (r === undefined) {
        r = index.size;
        index.set(f, r);
      }
      return r;
    });
    return { rows: Int32Array.from(rows), y: labelIndex.get(d.label) as number, weight: d.weight ?? 1 };
  });
  const C = labels.length;
  const weights = new Float64Array(index.size * C);
  const bias = new Float64Array(C);
  const rng = seeded(seed);
  const order = encoded.map((_, i) => i);
  const z = new Float64Array(C);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const k of order) {
      const d = encoded[k] as Encoded;
      if (d.rows.length === 0) continue;
      // Binary features scaled to unit length: long texts do not outvote short ones.
      const x = 1 / Math.sqrt(d.rows.length);
      for (let c = 0; c < C; c++) z[c] = bias[c] as number;
      for (const r of d.rows) for (let c = 0; c < C; c++) z[c] = (z[c] as number) + x * (weights[r * C + c] as number);
      softmaxInPlace(z);
      const lr = (rate * d.weight) / (1 + step / encoded.length);
      step++;
      for (let c = 0; c < C; c++) {
        const g = (z[c] as number) - (c === d.y ? 1 : 0);
        // A label the model already rules out (or is sure of) learns nothing worth the pass over the rows.
        if (Math.abs(g) < 1e-3) continue;
        bias[c] = (bias[c] as number) - lr * g * 0.1;
        for (const r of d.rows) {
          const w = weights[r * C + c] as number;
          weights[r * C + c] = w - lr * (g * x + l2 * w);
        }
      }
    }
  }
  return { labels, index, features: [...index.keys()], weights, bias };
}

export interface LinearScores {
  /** Label → raw score (logit). */
  logits: Map<string, number>;
  /** The features of the text the model knows, as row numbers. */
  rows: number[];
  scale: number;
}

/** The logits of every label for a text's features. */
export function linearLogits(model: LinearModel, features: readonly string[]): LinearScores {
  const C = model.labels.length;
  const rows = features.map((f) => model.index.get(f)).filter((r): r is number => r !== undefined);
  const scale = features.length ? 1 / Math.sqrt(features.length) : 0;
  const logits = new Map<string, number>();
  model.labels.forEach((label, c) => {
    let s = model.bias[c] as number;
    for (const r of rows) s += scale * (model.weights[r * C + c] as number);
    logits.set(label, s);
  });
  return { logits, rows, scale };
}

/**
 * The features that pushed `label` above the other `rivals` most: each known feature's weight for the label
 * minus its mean weight over the rivals, strongest first, as display text (a trigram hides its bigrams).
 */
export function linearEvidence(model: LinearModel, scores: LinearScores, label: string, rivals: readonly string[], top = 5): string[] {
  const C = model.labels.length;
  const c = model.labels.indexOf(label);
  const others = rivals.map((r) => model.labels.indexOf(r)).filter((i) => i >= 0 && i !== c);
  if (c < 0) return [];
  const pushes = scores.rows
    .map((r) => {
      const own = model.weights[r * C + c] as number;
      const mean = others.length ? others.reduce((s, o) => s + (model.weights[r * C + o] as number), 0) / others.length : 0;
      return { feature: model.features[r] as string, push: own - mean };
    })
    .filter((p) => p.push > 0 && !p.feature.startsWith('@') && featureText(p.feature).length > 1)
    .sort((a, b) => b.push - a.push);
  // Words read better than character n-grams ("给电", "线充"): n-grams are shown only when words are too few.
  const wordsFirst = [...pushes.filter((p) => !p.feature.startsWith(NGRAM)), ...pushes.filter((p) => p.feature.startsWith(NGRAM))];
  const out: string[] = [];
  for (const p of wordsFirst) {
    const text = featureText(p.feature);
    if (p.feature.startsWith(NGRAM) && out.length >= 2) break;
    if (out.some((o) => o.includes(text))) continue;
    const wider = out.findIndex((o) => text.includes(o));
    if (wider >= 0) out[wider] = text;
    else out.push(text);
    if (out.length >= top) break;
  }
  return [...new Set(out)];
}
