import { describe, expect, it } from 'vitest';
import { bm25Scores, estimateDocs } from './rank.ts';

describe('search relevance (BM25 from the orders’ text)', () => {
  it('ranks a text that says a term more often higher, and a shorter text above a longer one that says it as often', () => {
    const [once, thrice, longOnce] = bm25Scores(
      ['停电了', '停电停电又停电', `停电了${'，天气很冷'.repeat(20)}`],
      [{ alternatives: ['停电'], docs: 100 }],
      10_000,
    );
    expect(thrice).toBeGreaterThan(once as number);
    expect(once).toBeGreaterThan(longOnce as number);
  });

  it('weighs a rare term above a common one, and counts a synonym as the term', () => {
    const terms = [
      { alternatives: ['供电所'], docs: 5_000 },
      { alternatives: ['态度', '服务'], docs: 50 },
    ];
    const [common, rare, synonym] = bm25Scores(['供电所供电所态度', '供电所态度态度', '供电所服务服务'], terms, 10_000);
    expect(rare).toBeGreaterThan(common as number);
    expect(synonym).toBeCloseTo(rare as number, 6);
  });

  it('scores 0 where no term occurs, and reads full-width and upper-case text as the index does', () => {
    const [none, wide] = bm25Scores(['营业厅', 'ＡＢＣ电表'], [{ alternatives: ['abc'], docs: 10 }], 1_000);
    expect(none).toBe(0);
    expect(wide).toBeGreaterThan(0);
  });

  it('estimates how many orders contain a term from the density of its newest matches, exactly below the sample', () => {
    expect(estimateDocs(37, 10, 900, 1_000, 1_000)).toBe(37);
    expect(estimateDocs(1_000, 900_001, 1_000_000, 1_000_000, 1_000)).toBe(10_000);
  });
});
