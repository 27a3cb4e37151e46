/**
 * Evaluation of a ranked suggester against labelled texts: top-1 / top-3 accuracy, per-label precision and
 * recall, and the confusion matrix's worst pairs (expected → predicted), overall and per group (writer …).
 */

export interface EvalResult {
  expected: string;
  /** Ranked predictions, best first. */
  predicted: readonly string[];
  /** Any grouping to break the accuracy down by (the writer, the voice). */
  group?: string;
}

export interface LabelFigures {
  label: string;
  support: number;
  precision: number;
  recall: number;
}

export interface EvalReport {
  total: number;
  top1: number;
  top3: number;
  perLabel: LabelFigures[];
  worstPairs: Array<{ pair: string; count: number }>;
  perGroup: Array<{ group: string; total: number; top1: number; top3: number }>;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Scores a run of predictions. */
export function evaluateRun(results: readonly EvalResult[], worst = 10): EvalReport {
  const labels = [...new Set(results.map((r) => r.expected))].sort();
  const tp = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const support = new Map<string, number>();
  const pairs = new Map<string, number>();
  const groups = new Map<string, { total: number; top1: number; top3: number }>();
  let top1 = 0;
  let top3 = 0;
  for (const r of results) {
    const first = r.predicted[0] ?? '(none)';
    const hit1 = first === r.expected;
    const hit3 = r.predicted.slice(0, 3).includes(r.expected);
    support.set(r.expected, (support.get(r.expected) ?? 0) + 1);
    predictedCount.set(first, (predictedCount.get(first) ?? 0) + 1);
    if (hit1) {
      top1++;
      tp.set(first, (tp.get(first) ?? 0) + 1);
    } else {
      const key = `${r.expected} → ${first}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    if (hit3) top3++;
    if (r.group !== undefined) {
      const g = groups.get(r.group) ?? { total: 0, top1: 0, top3: 0 };
      g.total++;
      if (hit1) g.top1++;
      if (hit3) g.top3++;
      groups.set(r.group, g);
    }
  }
  const n = results.length || 1;
  return {
    total: results.length,
    top1: round(top1 / n),
    top3: round(top3 / n),
    perLabel: labels.map((label) => ({
      label,
      support: support.get(label) ?? 0,
      precision: round((tp.get(label) ?? 0) / (predictedCount.get(label) || 1)),
      recall: round((tp.get(label) ?? 0) / (support.get(label) || 1)),
    })),
    worstPairs: [...pairs.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, worst)
      .map(([pair, count]) => ({ pair, count })),
    perGroup: [...groups.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([group, g]) => ({ group, total: g.total, top1: round(g.top1 / g.total), top3: round(g.top3 / g.total) })),
  };
}
