import { readFileSync } from 'node:fs';
import { classFitsKind, DEFAULT_CLASSES, isCode, KINDS, type Kind, leafClasses } from '../../core/taxonomy.ts';
import type { Services } from '../container.ts';
import {
  type BlendWeights,
  buildLexicon,
  type NaiveBayesModel,
  suggestClasses,
  suggestKinds,
  trainNaiveBayes,
} from '../domain/text/classify.ts';
import { type LabelledText, parseCorpus, type Split, shippedCorpus } from '../domain/text/corpus.ts';
import { type EvalReport, type EvalResult, evaluateRun } from '../domain/text/evaluation.ts';
import type { TrainOptions } from '../domain/text/linear.ts';
import { SHIPPED_TRAINING, type ShippedModels, shippedModels, trainShipped } from '../domain/text/shipped-model.ts';
import { demoClosedOrders } from '../seed/demo-history.ts';

/**
 * Reads an evaluation file: the corpus format (corpus/README.md; `.txt`) or JSONL lines
 * `{"text","kind","class"}` (blank lines and `//` comments skipped).
 */
export function readEvalSet(file: string): LabelledText[] {
  const content = readFileSync(file, 'utf8');
  if (!file.endsWith('.jsonl')) return parseCorpus(content, file);
  return content
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//'))
    .map((l, i) => {
      const c = JSON.parse(l) as { text?: unknown; kind?: unknown; class?: unknown };
      if (typeof c.text !== 'string' || !isCode(KINDS, c.kind) || typeof c.class !== 'string')
        throw new Error(`line ${i + 1}: needs text, kind and class`);
      return { text: c.text, kind: c.kind, classCode: c.class, voice: 'caller', writer: 'file', split: 'test' } as LabelledText;
    });
}

const LEAVES = leafClasses(DEFAULT_CLASSES);
/** The classes intake offers for a kind: the leaves of the default tree that fit it. */
export function candidatesFor(kind: Kind): string[] {
  return LEAVES.filter((c) => classFitsKind(kind, c)).map((c) => c.code);
}

/** How many demo closed orders simulate a company's history in an evaluation. */
export const SIMULATED_HISTORY = 1600;

export interface CorpusEvaluation {
  classes: { cold: EvalReport; history: EvalReport };
  kinds: EvalReport;
}

/**
 * Class suggestion over labelled texts, cold (the shipped models and the default lexicon) and with a
 * company's history (its naive Bayes model blended in), and kind suggestion from the text alone.
 */
export function evaluateCorpus(
  cases: readonly LabelledText[],
  opts: { shipped: ShippedModels; history: NaiveBayesModel; blend?: BlendWeights },
): CorpusEvaluation {
  const r = corpusResults(cases, opts);
  return { classes: { cold: evaluateRun(r.cold), history: evaluateRun(r.history) }, kinds: evaluateRun(r.kinds) };
}

/** The ranked suggestions behind evaluateCorpus, one per case, for pooling over several runs (cross-validation). */
export function corpusResults(
  cases: readonly LabelledText[],
  opts: { shipped: ShippedModels; history: NaiveBayesModel; blend?: BlendWeights },
): { cold: EvalResult[]; history: EvalResult[]; kinds: EvalResult[] } {
  const lexicon = buildLexicon();
  const run = (model: NaiveBayesModel | null) =>
    cases.map((c) => ({
      expected: c.classCode,
      group: c.writer,
      predicted: suggestClasses({
        text: c.text,
        kind: c.kind,
        candidates: candidatesFor(c.kind),
        lexicon,
        model,
        shipped: opts.shipped.classes,
        blend: opts.blend,
      }).map((s) => s.code),
    }));
  return {
    cold: run(null),
    history: run(opts.history),
    kinds: cases.map((c) => ({
      expected: c.kind,
      group: c.writer,
      predicted: suggestKinds(c.text, opts.shipped.kinds, 3, opts.shipped.classes).map((k) => k.code),
    })),
  };
}

/**
 * Leave-one-writer-out cross-validation over the shipped corpus (train and dev; the test split is not
 * shipped): for each writer, the models learn from every other writer and are scored on that writer's texts.
 * A writer's vocabulary never helps score itself, so this estimates how suggestion does for a voice it has
 * never seen — the tuning signal for training settings and the blend.
 */
export function crossValidate(
  opts: { texts?: readonly LabelledText[]; training?: TrainOptions; blend?: BlendWeights } = {},
): CorpusEvaluation {
  const texts = opts.texts ?? shippedCorpus();
  const writers = [...new Set(texts.map((t) => t.writer))].sort();
  const history = simulatedHistory();
  const cold: EvalResult[] = [];
  const hist: EvalResult[] = [];
  const kinds: EvalResult[] = [];
  for (const w of writers) {
    const held = texts.filter((t) => t.writer === w);
    const shipped = trainShipped(
      texts.filter((t) => t.writer !== w),
      opts.training ?? SHIPPED_TRAINING,
    );
    const r = corpusResults(held, { shipped, history, blend: opts.blend });
    cold.push(...r.cold);
    hist.push(...r.history);
    kinds.push(...r.kinds);
  }
  return { classes: { cold: evaluateRun(cold), history: evaluateRun(hist) }, kinds: evaluateRun(kinds) };
}

/** The simulated history of a company: the demo seeder's closed orders. */
export function simulatedHistory(n = SIMULATED_HISTORY): NaiveBayesModel {
  return trainNaiveBayes(demoClosedOrders(n));
}

/** A plain-text rendering of an evaluation: overall, per class, the worst pairs, per writer. */
export function formatEvaluation(e: CorpusEvaluation, title: string): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [`# ${title}`];
  const section = (name: string, r: EvalReport) => {
    lines.push('', `## ${name}: n=${r.total}  top-1 ${pct(r.top1)}  top-3 ${pct(r.top3)}`);
    lines.push('label                     n   precision  recall');
    for (const l of r.perLabel)
      lines.push(`${l.label.padEnd(24)} ${String(l.support).padStart(3)}   ${pct(l.precision).padStart(7)}  ${pct(l.recall).padStart(7)}`);
    lines.push('worst pairs (expected → suggested first):');
    for (const p of r.worstPairs) lines.push(`  ${String(p.count).padStart(3)}  ${p.pair}`);
    lines.push(`per writer: ${r.perGroup.map((g) => `${g.group} ${pct(g.top1)}/${pct(g.top3)} (n=${g.total})`).join(', ')}`);
  };
  section('classes, cold start (no company history)', e.classes.cold);
  section('classes, with history (company model from closed orders)', e.classes.history);
  section('kinds (from the text alone)', e.kinds);
  return lines.join('\n');
}

/**
 * `gridvoice classify "文本" [--kind K] [--company CODE]` / `gridvoice classify --eval FILE [--train-splits train]` /
 * `gridvoice classify --cv` (leave-one-writer-out cross-validation over the shipped corpus).
 */
export async function classifyCommand(
  services: Services | null,
  args: string[],
  opts: { kind?: string; company?: string; evalFile?: string; trainSplits?: string; json?: boolean; cv?: boolean },
) {
  if (opts.cv) {
    const e = crossValidate();
    return opts.json
      ? e
      : formatEvaluation(e, 'shipped corpus (train + dev), leave one writer out: each writer scored by models trained on the others');
  }
  if (opts.evalFile) {
    const splits = (opts.trainSplits ?? 'train,dev').split(',').map((s) => s.trim()) as Split[];
    const e = evaluateCorpus(readEvalSet(opts.evalFile), { shipped: shippedModels(splits), history: simulatedHistory() });
    return opts.json
      ? e
      : formatEvaluation(
          e,
          `${opts.evalFile} — models trained on ${splits.join('+')}; history: ${SIMULATED_HISTORY} simulated demo closed orders`,
        );
  }
  if (!services) throw new Error('classify needs a database unless it evaluates (--eval)');
  const units = await services.org.list();
  const company = opts.company
    ? units.find((u) => u.code === opts.company && u.kind === 'company')
    : units.find((u) => u.kind === 'company' && u.parent_id === null);
  if (opts.company && !company) throw new Error(`--company ${opts.company}: no such company`);
  const text = args.join(' ').trim();
  if (!text) throw new Error('classify needs a text or --eval FILE');
  const kind = opts.kind ?? 'complaint';
  if (!isCode(KINDS, kind)) throw new Error(`--kind ${kind}: unknown kind`);
  return { kind, classes: await services.text.classify(company?.id ?? null, text, kind), kinds: services.text.suggestKind(text) };
}
