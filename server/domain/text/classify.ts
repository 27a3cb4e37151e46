import { DEFAULT_LEXICON } from './lexicon.data.ts';
import { charBigrams, normalize, words } from './segment.ts';

/**
 * Class suggestion (DESIGN §9): a curated lexicon per class blended with a multinomial naive Bayes model
 * learned from the organisation's own closed orders. Pure: the caller loads lexicon edits and training data.
 */

/** Class code → word → weight. */
export type Lexicon = Map<string, Map<string, number>>;

export interface LexiconEdit {
  classCode: string;
  word: string;
  weight: number;
}

export interface ClassSuggestion {
  code: string;
  /** 0..1; the suggestions of one text sum to at most 1. */
  confidence: number;
  /** The words that drove the suggestion, strongest first. */
  words: string[];
}

/** The default lexicon with the admin edits applied (weight 0 removes a word). */
export function buildLexicon(edits: readonly LexiconEdit[] = []): Lexicon {
  const lex: Lexicon = new Map();
  for (const [code, ws] of Object.entries(DEFAULT_LEXICON)) lex.set(code, new Map(Object.entries(ws).filter(([, w]) => w > 0)));
  for (const e of edits) {
    const m = lex.get(e.classCode) ?? new Map<string, number>();
    const w = normalize(e.word.trim());
    if (e.weight > 0) m.set(w, e.weight);
    else m.delete(w);
    lex.set(e.classCode, m);
  }
  return lex;
}

/** Each candidate class's lexicon score: the sum of the weights of its words found in the text. */
export function lexiconScores(
  text: string,
  lexicon: Lexicon,
  candidates: readonly string[],
): Map<string, { score: number; words: string[] }> {
  const t = normalize(text);
  const out = new Map<string, { score: number; words: string[] }>();
  for (const code of candidates) {
    const hits: Array<[string, number]> = [];
    for (const [w, weight] of lexicon.get(code) ?? []) if (t.includes(w)) hits.push([w, weight]);
    // A phrase that contains a shorter hit (态度恶劣 ⊃ 态度) counts once, as the phrase.
    const kept = hits.filter(([w]) => !hits.some(([o]) => o !== w && o.length > w.length && o.includes(w)));
    kept.sort((a, b) => b[1] - a[1] || b[0].length - a[0].length);
    out.set(code, { score: kept.reduce((s, [, w]) => s + w, 0), words: kept.map(([w]) => w) });
  }
  return out;
}

/** The features the model sees: precise-mode words, CJK character bigrams and the order kind. */
export function features(text: string, kind?: string): string[] {
  return [...words(text), ...charBigrams(text), ...(kind ? [`@kind:${kind}`] : [])];
}

export interface NaiveBayesModel {
  docs: number;
  vocabulary: number;
  classes: Map<string, { docs: number; total: number; counts: Map<string, number> }>;
}

/** Trains a multinomial naive Bayes model (Laplace smoothing) over labelled texts. */
export function trainNaiveBayes(docs: ReadonlyArray<{ text: string; kind?: string; classCode: string }>): NaiveBayesModel {
  const classes: NaiveBayesModel['classes'] = new Map();
  const vocab = new Set<string>();
  for (const d of docs) {
    let c = classes.get(d.classCode);
    if (!c) {
      c = { docs: 0, total: 0, counts: new Map() };
      classes.set(d.classCode, c);
    }
    c.docs++;
    for (const f of features(d.text, d.kind)) {
      vocab.add(f);
      c.total++;
      c.counts.set(f, (c.counts.get(f) ?? 0) + 1);
    }
  }
  return { docs: docs.length, vocabulary: vocab.size, classes };
}

/** Posterior over the candidate classes the model knows, with each class's most telling words. */
export function naiveBayesPosterior(
  model: NaiveBayesModel,
  text: string,
  kind: string | undefined,
  candidates: readonly string[],
): Map<string, { p: number; words: string[] }> {
  const feats = features(text, kind);
  const known = candidates.filter((c) => model.classes.has(c));
  const out = new Map<string, { p: number; words: string[] }>();
  if (known.length === 0 || feats.length === 0) return out;
  const V = model.vocabulary + 1;
  const logs = known.map((code) => {
    const c = model.classes.get(code) as NaiveBayesModel['classes'] extends Map<string, infer C> ? C : never;
    let lp = Math.log(c.docs / model.docs);
    const telling: Array<[string, number]> = [];
    for (const f of feats) {
      const n = c.counts.get(f) ?? 0;
      lp += Math.log((n + 1) / (c.total + V));
      if (n > 0 && f.length > 1 && !f.startsWith('@')) telling.push([f, n / c.docs]);
    }
    telling.sort((a, b) => b[1] - a[1]);
    return { code, lp, words: [...new Set(telling.map(([f]) => f))].slice(0, 5) };
  });
  // Naive Bayes is overconfident on long texts (features are not independent); temper by the text length.
  const temperature = Math.max(1, Math.sqrt(feats.length) / 1.5);
  const max = Math.max(...logs.map((l) => l.lp));
  const exps = logs.map((l) => Math.exp((l.lp - max) / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  logs.forEach((l, i) => {
    out.set(l.code, { p: (exps[i] as number) / sum, words: l.words });
  });
  return out;
}

/** The minimum number of training orders before the model's opinion is blended in. */
export const MIN_TRAINING_DOCS = 30;
const LEXICON_SHARPNESS = 0.9;
const LEXICON_SHARE = 0.6;

/**
 * The top classes for a text: lexicon scores turned into a distribution (softmax) blended with the model's
 * posterior. With no lexicon hit the model decides alone; with no model, the lexicon.
 */
export function suggestClasses(input: {
  text: string;
  kind?: string;
  candidates: readonly string[];
  lexicon: Lexicon;
  model?: NaiveBayesModel | null;
  top?: number;
}): ClassSuggestion[] {
  const { text, kind, candidates, lexicon } = input;
  const lex = lexiconScores(text, lexicon, candidates);
  const hasLex = [...lex.values()].some((v) => v.score > 0);
  const model = input.model && input.model.docs >= MIN_TRAINING_DOCS ? input.model : null;
  const nb = model ? naiveBayesPosterior(model, text, kind, candidates) : new Map<string, { p: number; words: string[] }>();
  if (!hasLex && nb.size === 0) return [];
  const lexP = new Map<string, number>();
  if (hasLex) {
    const max = Math.max(...[...lex.values()].map((v) => v.score));
    const exps = candidates.map((c) => [c, Math.exp(LEXICON_SHARPNESS * ((lex.get(c)?.score ?? 0) - max))] as const);
    const sum = exps.reduce((s, [, e]) => s + e, 0);
    for (const [c, e] of exps) lexP.set(c, e / sum);
  }
  const share = !hasLex ? 0 : nb.size === 0 ? 1 : LEXICON_SHARE;
  const ranked = candidates
    .map((code) => {
      const p = share * (lexP.get(code) ?? 0) + (1 - share) * (nb.get(code)?.p ?? 0);
      const ws = [...(lex.get(code)?.words ?? []), ...(nb.get(code)?.words ?? [])];
      return { code, confidence: p, words: [...new Set(ws)].slice(0, 6) };
    })
    .sort((a, b) => b.confidence - a.confidence || a.code.localeCompare(b.code));
  return ranked.slice(0, input.top ?? 3).map((r) => ({ ...r, confidence: Math.round(r.confidence * 1000) / 1000 }));
}

/** Top-1 / top-3 accuracy and the most confused (expected → predicted) pairs of an evaluation run. */
export function evaluate(results: ReadonlyArray<{ expected: string; predicted: readonly string[] }>) {
  let top1 = 0;
  let top3 = 0;
  const confused = new Map<string, number>();
  for (const r of results) {
    if (r.predicted[0] === r.expected) top1++;
    else {
      const key = `${r.expected} → ${r.predicted[0] ?? '(none)'}`;
      confused.set(key, (confused.get(key) ?? 0) + 1);
    }
    if (r.predicted.slice(0, 3).includes(r.expected)) top3++;
  }
  const n = results.length || 1;
  return {
    total: results.length,
    top1: Math.round((top1 / n) * 1000) / 1000,
    top3: Math.round((top3 / n) * 1000) / 1000,
    confused: [...confused.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([pair, count]) => ({ pair, count })),
  };
}
