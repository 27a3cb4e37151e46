import { classFeatures } from './classify.ts';
import { type LabelledText, type Split, shippedCorpus } from './corpus.ts';
import { type LinearModel, linearFeatures, type TrainOptions, trainLinear } from './linear.ts';

/**
 * The models every organisation starts with: class and kind models trained on the shipped corpus. Training
 * takes well under a second, so it happens once per process, on first use (or at start-up, see warm()).
 */

export interface ShippedModels {
  classes: LinearModel;
  kinds: LinearModel;
  /** How many labelled texts they learned from. */
  docs: number;
}

/** Training settings; leave-one-writer-out cross-validation found epochs 20–40, rate 2–8 and l2 1e-6–1e-4 within half a point of each other. */
export const SHIPPED_TRAINING: TrainOptions = { epochs: 20, rate: 4, l2: 1e-5, seed: 1 };

/** Trains the class and kind models on labelled texts. */
export function trainShipped(texts: readonly LabelledText[], options: TrainOptions = SHIPPED_TRAINING): ShippedModels {
  // Complaints and reports outnumber opinions, suggestions and praise many times over in any corpus; each
  // kind's texts weigh by how rare it is to the power 0.75 (at most 5), so that the rare kinds are still learned
  // (the power was chosen by leave-one-writer-out cross-validation).
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t.kind, (counts.get(t.kind) ?? 0) + 1);
  const most = Math.max(...counts.values());
  const kindWeight = new Map([...counts].map(([k, n]) => [k, Math.min(5, (most / n) ** 0.75)]));
  return {
    classes: trainLinear(
      texts.map((t) => ({ features: classFeatures(t.text, t.kind), label: t.classCode })),
      options,
    ),
    kinds: trainLinear(
      texts.map((t) => ({ features: linearFeatures(t.text), label: t.kind, weight: kindWeight.get(t.kind) })),
      options,
    ),
    docs: texts.length,
  };
}

let cached: ShippedModels | null = null;

/** The shipped models trained on the shipped splits (train and dev), trained once per process. */
export function shippedModels(splits: readonly Split[] = ['train', 'dev']): ShippedModels {
  if (splits.length === 2 && splits.includes('train') && splits.includes('dev')) {
    cached ??= trainShipped(shippedCorpus());
    return cached;
  }
  return trainShipped(shippedCorpus().filter((t) => splits.includes(t.split)));
}
