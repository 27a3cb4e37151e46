import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLASSES, KINDS, leafClasses } from '../../core/taxonomy.ts';
import { type CorpusEvaluation, evaluateCorpus, readEvalSet, simulatedHistory } from '../../server/cli/classify.ts';
import { shippedCorpus } from '../../server/domain/text/corpus.ts';
import { shippedModels } from '../../server/domain/text/shipped-model.ts';

const TEST = readEvalSet(join(import.meta.dirname, '..', 'fixtures', 'classify', 'test.txt'));
const SHIPPED = shippedCorpus();

describe('the labelled corpus', () => {
  it('holds at least 40 texts of every leaf class over its three splits', () => {
    const all = [...SHIPPED, ...TEST];
    for (const c of leafClasses(DEFAULT_CLASSES))
      expect(all.filter((t) => t.classCode === c.code).length, c.code).toBeGreaterThanOrEqual(40);
  });

  it('has every kind and all four voices in the training split', () => {
    const train = SHIPPED.filter((t) => t.split === 'train');
    expect(new Set(train.map((t) => t.kind))).toEqual(new Set(KINDS.map((k) => k.code)));
    expect(new Set(train.map((t) => t.voice))).toEqual(new Set(['caller', 'agent', 'portal', 'regulator']));
  });

  it('keeps every writer on one side: no test writer in the shipped splits, no test text shipped', () => {
    const testWriters = new Set(TEST.map((t) => t.writer));
    expect(TEST.every((t) => t.split === 'test')).toBe(true);
    expect(SHIPPED.some((t) => testWriters.has(t.writer) || t.split === 'test')).toBe(false);
    const shippedTexts = new Set(SHIPPED.map((t) => t.text));
    expect(TEST.filter((t) => shippedTexts.has(t.text))).toEqual([]);
  });
});

// Floors a little under the figures measured once on the held-out test split (docs/operator-guide.md): they
// guard against regressions and were never used to tune anything.
describe('class and kind suggestion on the held-out test split', () => {
  let e: CorpusEvaluation;

  beforeAll(() => {
    e = evaluateCorpus(TEST, { shipped: shippedModels(), history: simulatedHistory() });
  });

  it('suggests the class cold (no company history)', () => {
    expect(e.classes.cold.top1).toBeGreaterThanOrEqual(COLD_TOP1);
    expect(e.classes.cold.top3).toBeGreaterThanOrEqual(COLD_TOP3);
  });

  it('suggests the class with a company history', () => {
    expect(e.classes.history.top1).toBeGreaterThanOrEqual(HISTORY_TOP1);
    expect(e.classes.history.top3).toBeGreaterThanOrEqual(HISTORY_TOP3);
  });

  it('suggests the class of scenarios that appear nowhere in the shipped corpus (writer t7)', () => {
    expect(e.classes.cold.perGroup.find((g) => g.group === 't7')?.top1).toBeGreaterThanOrEqual(NEW_SCENARIOS_TOP1);
  });

  it('suggests the kind from the text', () => {
    expect(e.kinds.top1).toBeGreaterThanOrEqual(KIND_TOP1);
  });
});

// Measured: cold 94.4 % / 100 %, with history 95.6 % / 99.7 %, t7 alone 81.5 % cold, kinds 95.3 %.
const COLD_TOP1 = 0.9;
const COLD_TOP3 = 0.98;
const HISTORY_TOP1 = 0.9;
const HISTORY_TOP3 = 0.97;
const NEW_SCENARIOS_TOP1 = 0.75;
const KIND_TOP1 = 0.9;
