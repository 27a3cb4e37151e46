import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classFitsKind, DEFAULT_CLASSES, KINDS, type Kind, leafClasses } from '../../core/taxonomy.ts';
import { evalClassifier, readEvalSet } from '../../server/cli/classify.ts';
import { buildLexicon, evaluate, suggestClasses, trainNaiveBayes } from '../../server/domain/text/classify.ts';
import { DEMO_STATIONS, demoText, pickClass } from '../../server/seed/demo-texts.ts';
import { seededRng } from '../../server/seed/demo-tickets.ts';
import { makeTestApp, type TestApp } from '../harness.ts';

const EVAL = readEvalSet(join(import.meta.dirname, '..', 'fixtures', 'classify-eval.jsonl'));

/** Closed orders as the demo seeder writes them (same generator, same class mix), without the database cost. */
function demoTrainingSet(n: number) {
  const rng = seededRng(20261127);
  const kinds: Kind[] = ['complaint', 'complaint', 'complaint', 'complaint', 'report', 'opinion', 'suggestion', 'praise'];
  return Array.from({ length: n }, (_, i) => {
    const kind = kinds[i % kinds.length] as Kind;
    const month = 1 + (i % 12);
    const station = DEMO_STATIONS[i % DEMO_STATIONS.length] as (typeof DEMO_STATIONS)[number];
    const classCode = pickClass(rng, kind, month, station.areaType === 'rural');
    const t = demoText(rng, kind, classCode, station.name, 'other');
    return { text: `${t.subject}\n${t.description}`, kind, classCode: t.classCode };
  });
}

// The hand-written evaluation set (test/fixtures/classify-eval.jsonl, not from the demo generator) guards the
// figures `gridvoice classify --eval` reports: ≥ 80 % top-1 and ≥ 95 % top-3.
describe('class suggestion on the hand-written evaluation set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('has at least 60 texts covering the complaint and report classes', () => {
    expect(EVAL.length).toBeGreaterThanOrEqual(60);
    expect(new Set(EVAL.map((e) => e.class)).size).toBeGreaterThanOrEqual(20);
  });

  it('reaches the targets with the default lexicon alone (a new organisation without history)', async () => {
    const r = await evalClassifier(t.app.services, null, EVAL);
    expect(r.top1).toBeGreaterThanOrEqual(0.8);
    expect(r.top3).toBeGreaterThanOrEqual(0.95);
  });

  it('reaches the targets with the lexicon blended with a model learned from demo-like closed orders', () => {
    const model = trainNaiveBayes(demoTrainingSet(1200));
    const lexicon = buildLexicon();
    const leaves = leafClasses(DEFAULT_CLASSES);
    const candidates = (kind: Kind) => leaves.filter((c) => classFitsKind(kind, c)).map((c) => c.code);
    expect(KINDS.every((k) => candidates(k.code).length > 0)).toBe(true);
    const r = evaluate(
      EVAL.map((e) => ({
        expected: e.class,
        predicted: suggestClasses({ text: e.text, kind: e.kind, candidates: candidates(e.kind), lexicon, model }).map((s) => s.code),
      })),
    );
    expect(r.top1).toBeGreaterThanOrEqual(0.8);
    expect(r.top3).toBeGreaterThanOrEqual(0.95);
  });
});
