import { normalize } from './segment.ts';

/**
 * Relevance of search matches, computed from the orders' own text (pure): Okapi BM25 over the query's terms,
 * where a term occurs in a text as often as one of its alternatives (a word or its synonyms) occurs in it as a
 * substring, the way the index matches. SQLite's bm25() would compute the same kind of score, but it first
 * counts every order containing each term to weigh it, a full pass over the term's postings (25 ms for 供电所 at
 * a million orders) on every query; here each term's weight comes from an estimate the caller reads cheaply.
 */

/** One term of a query: the texts any of which stands for it, and how many of `total` orders contain it. */
export interface RankTerm {
  alternatives: readonly string[];
  docs: number;
}

const K1 = 1.2;
const B = 0.75;

/** How many times `needle` occurs in `hay` without overlapping. */
function occurrences(hay: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** The BM25 score of each text (higher is better), for `terms` over a collection of `total` orders. */
export function bm25Scores(texts: readonly string[], terms: readonly RankTerm[], total: number): number[] {
  const docs = texts.map(normalize);
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(docs.length, 1) || 1;
  const weights = terms.map((t) => {
    const df = Math.min(Math.max(t.docs, 1), total);
    return Math.log((total - df + 0.5) / (df + 0.5) + 1);
  });
  const alternatives = terms.map((t) => t.alternatives.map(normalize));
  return docs.map((d) => {
    let score = 0;
    for (const [i, alts] of alternatives.entries()) {
      const tf = Math.max(0, ...alts.map((a) => occurrences(d, a)));
      if (tf > 0) score += ((weights[i] as number) * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.length) / avg));
    }
    return score;
  });
}

/**
 * A term's count of orders estimated from the newest of its matches: `seen` matches found among the orders with
 * ids from `lowestId` up to `highestId`, the newest `sample` at most. When fewer than `sample` match, `seen` is
 * the exact count; otherwise the density over that id range is taken for the whole collection.
 */
export function estimateDocs(seen: number, lowestId: number, highestId: number, total: number, sample: number): number {
  if (seen < sample) return seen;
  const span = Math.max(highestId - lowestId + 1, seen);
  return Math.round((seen / span) * total);
}
