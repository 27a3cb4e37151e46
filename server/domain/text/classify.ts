import { DEFAULT_CLASSES } from '../../../core/taxonomy.ts';
import { DEFAULT_LEXICON } from './lexicon.data.ts';
import { type LinearModel, linearEvidence, linearFeatures, linearLogits } from './linear.ts';
import { charBigrams, normalize, words } from './segment.ts';

/**
 * Class and kind suggestion: a linear model trained on the shipped corpus, a curated lexicon per
 * class as an explainable prior, and a multinomial naive Bayes model learned from the organisation's own
 * closed orders. Pure: the caller loads lexicon edits, models and training data.
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

/**
 * An admin's own word counts this many times its weight: it is local knowledge the shipped model cannot have,
 * so a word an admin adds must be able to overrule the model.
 */
export const ADMIN_WORD_FACTOR = 4;

/** The (class, word) keys of the admin edits that add or reweigh a word, for lexiconScores. */
export function editedWords(edits: readonly LexiconEdit[]): Set<string> {
  return new Set(edits.filter((e) => e.weight > 0).map((e) => `${e.classCode}\u0000${normalize(e.word.trim())}`));
}

/** Each candidate class's lexicon score: the sum of the weights of its words found in the text. */
export function lexiconScores(
  text: string,
  lexicon: Lexicon,
  candidates: readonly string[],
  edited: ReadonlySet<string> = new Set(),
): Map<string, { score: number; words: string[] }> {
  const t = normalize(text);
  const out = new Map<string, { score: number; words: string[] }>();
  for (const code of candidates) {
    const hits: Array<[string, number]> = [];
    for (const [w, weight] of lexicon.get(code) ?? [])
      if (t.includes(w)) hits.push([w, edited.has(`${code}\u0000${w}`) ? weight * ADMIN_WORD_FACTOR : weight]);
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

/** The minimum number of training orders before the company model's opinion is blended in. */
export const MIN_TRAINING_DOCS = 30;

/**
 * How the three opinions add up, as logits: the shipped linear model's logit, plus `lexicon` × the lexicon
 * score, plus the company model's log-probability weighted by `history` × n / (n + `historyHalf`) for a
 * company with n closed orders (its own usage counts for more as it accumulates). Chosen by leave-one-writer-out
 * cross-validation over the train and dev writers (`gridvoice classify --cv`).
 */
export interface BlendWeights {
  lexicon: number;
  history: number;
  historyHalf: number;
}
export const BLEND: BlendWeights = { lexicon: 0.3, history: 0.3, historyHalf: 400 };

/** The features of the class model: the text's words and character n-grams, and the order kind. */
export function classFeatures(text: string, kind?: string): string[] {
  const f = linearFeatures(text);
  if (kind) f.push(`@kind:${kind}`);
  return f;
}

/** The weight of a company's own model given how many closed orders it learned from. */
export function historyWeight(docs: number, blend: BlendWeights = BLEND): number {
  return docs < MIN_TRAINING_DOCS ? 0 : (blend.history * docs) / (docs + blend.historyHalf);
}

/**
 * The top classes for a text: the shipped linear model, the lexicon as an explainable prior and the
 * company's own model, blended as logits (see BlendWeights) and turned into confidences over the candidates.
 * Each suggestion names the lexicon words found and the words that pushed the models towards it.
 */
export function suggestClasses(input: {
  text: string;
  kind?: string;
  candidates: readonly string[];
  lexicon: Lexicon;
  /** The admin-edited words (editedWords), which weigh more. */
  edited?: ReadonlySet<string>;
  model?: NaiveBayesModel | null;
  shipped?: LinearModel | null;
  blend?: BlendWeights;
  top?: number;
}): ClassSuggestion[] {
  const { text, kind, candidates, lexicon } = input;
  const blend = input.blend ?? BLEND;
  if (candidates.length === 0) return [];
  const lex = lexiconScores(text, lexicon, candidates, input.edited);
  const hasLex = [...lex.values()].some((v) => v.score > 0);
  const model = input.model && input.model.docs >= MIN_TRAINING_DOCS ? input.model : null;
  const nb = model ? naiveBayesPosterior(model, text, kind, candidates) : new Map<string, { p: number; words: string[] }>();
  const shipped = input.shipped ?? null;
  const lin = shipped ? linearLogits(shipped, classFeatures(text, kind)) : null;
  // Only the kind feature known: the linear model has nothing to say about this text.
  const linSays = lin !== null && lin.rows.length > (kind ? 1 : 0);
  if (!hasLex && nb.size === 0 && !linSays) return [];
  const known = candidates.filter((c) => lin?.logits.has(c));
  // A class the shipped model never saw (an admin's new class) starts at the candidates' mean logit.
  const meanLogit = linSays && known.length ? known.reduce((s, c) => s + (lin?.logits.get(c) as number), 0) / known.length : 0;
  const hw = model ? historyWeight(model.docs, blend) : 0;
  const logits = candidates.map((code) => {
    let z = linSays ? (lin?.logits.get(code) ?? meanLogit) : 0;
    z += blend.lexicon * (lex.get(code)?.score ?? 0);
    if (hw > 0) z += hw * Math.log(Math.max(nb.get(code)?.p ?? 0, 1e-4));
    return z;
  });
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  const ranked = candidates
    .map((code, i) => ({ code, confidence: (exps[i] as number) / sum }))
    .sort((a, b) => b.confidence - a.confidence || a.code.localeCompare(b.code))
    .slice(0, input.top ?? 3);
  return ranked.map((r) => {
    const evidence = linSays && shipped && lin ? linearEvidence(shipped, lin, r.code, candidates, 4) : [];
    const ws = [...(lex.get(r.code)?.words ?? []), ...evidence, ...(hw > 0 ? (nb.get(r.code)?.words ?? []) : [])];
    return { code: r.code, confidence: Math.round(r.confidence * 1000) / 1000, words: dedupeWords(ws).slice(0, 6) };
  });
}

/** Drops a word already covered by a longer one (抢修 beside 抢修人员), keeping the order. */
function dedupeWords(ws: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of ws) if (!out.some((o) => o.includes(w))) out.push(w);
  return out;
}

export interface KindSuggestion {
  code: string;
  confidence: number;
  words: string[];
}

/**
 * How much the class model's view of a text moves the kind: a text the class model reads as a report class
 * (窃电, 违约用电, 吃拿卡要 …) is more likely a 举报 even when it arrives as a complaint call. Chosen by
 * leave-one-writer-out cross-validation.
 */
export const KIND_FROM_CLASS = 2;

/** The family (complaint / report / any) of each default class: the classes the shipped model knows. */
const FAMILY = new Map<string, string>(DEFAULT_CLASSES.map((c) => [c.code, c.family]));

/**
 * The kind of an order (投诉/举报/意见/建议/表扬) from its text, by the shipped kind model; with the shipped
 * class model, the share of complaint and report classes it sees in the text is blended in as a prior.
 */
export function suggestKinds(text: string, model: LinearModel | null, top = 3, classes: LinearModel | null = null): KindSuggestion[] {
  if (!model) return [];
  const lin = linearLogits(model, linearFeatures(text));
  if (lin.rows.length === 0) return [];
  const z = model.labels.map((l) => lin.logits.get(l) as number);
  if (classes && KIND_FROM_CLASS > 0) {
    const cl = linearLogits(classes, linearFeatures(text));
    const cz = classes.labels.map((l) => cl.logits.get(l) as number);
    const cmax = Math.max(...cz);
    const ce = cz.map((v) => Math.exp(v - cmax));
    const csum = ce.reduce((a, b) => a + b, 0);
    const share = new Map<string, number>();
    classes.labels.forEach((code, i) => {
      const fam = FAMILY.get(code);
      if (fam) share.set(fam, (share.get(fam) ?? 0) + (ce[i] as number) / csum);
    });
    model.labels.forEach((k, i) => {
      if (k === 'complaint' || k === 'report') z[i] = (z[i] as number) + KIND_FROM_CLASS * Math.log((share.get(k) ?? 0) + 1e-3);
    });
  }
  const max = Math.max(...z);
  const exps = z.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return model.labels
    .map((code, i) => ({ code, p: (exps[i] as number) / sum }))
    .sort((a, b) => b.p - a.p)
    .slice(0, top)
    .map((k) => ({
      code: k.code,
      confidence: Math.round(k.p * 1000) / 1000,
      words: linearEvidence(model, lin, k.code, model.labels, 4),
    }));
}
