import { normalize, words } from './segment.ts';

/** Duplicate detection and snippets: pure text helpers over jieba words. */

/** The set of meaningful words of a text (single characters dropped: they match too easily). */
export function wordSet(text: string): Set<string> {
  return new Set(words(text).filter((w) => w.length > 1));
}

/**
 * Word sets of stored orders, remembered by order id (with the text they came from, so an edited text is cut
 * again): the duplicate check compares a new text with up to hundreds of recent orders on every keystroke
 * pause, and cutting each of them anew would dominate its time. Oldest entries leave first beyond `capacity`.
 * Derived from the stored text only, so a node's cache never changes what a user sees.
 */
export class WordSetCache {
  private readonly sets = new Map<number, { text: string; words: Set<string> }>();

  constructor(private readonly capacity = 20_000) {}

  of(id: number, text: string): Set<string> {
    const hit = this.sets.get(id);
    if (hit && hit.text === text) return hit.words;
    const entry = { text, words: wordSet(text) };
    this.sets.delete(id);
    this.sets.set(id, entry);
    if (this.sets.size > this.capacity) this.sets.delete(this.sets.keys().next().value as number);
    return entry.words;
  }
}

/** Jaccard similarity of two word sets (0..1). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const w of a) if (b.has(w)) inter++;
  return inter / (a.size + b.size - inter);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * A short excerpt around the first matched term with every term wrapped in `<mark>`; the rest is HTML-escaped,
 * so the web can render it as is. Null when no term occurs in the text.
 */
export function snippet(text: string | null, terms: readonly string[], width = 60): string | null {
  if (!text) return null;
  const lower = normalize(text);
  const hits = terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0);
  if (hits.length === 0) return null;
  const first = Math.min(...hits);
  const start = Math.max(0, first - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  const piece = text.slice(start, end);
  const pieceLower = lower.slice(start, end);
  const sorted = [...terms].sort((a, b) => b.length - a.length);
  let out = '';
  let i = 0;
  while (i < piece.length) {
    const term = sorted.find((t) => t && pieceLower.startsWith(t, i));
    if (term) {
      out += `<mark>${escapeHtml(piece.slice(i, i + term.length))}</mark>`;
      i += term.length;
    } else {
      out += escapeHtml(piece[i] as string);
      i++;
    }
  }
  return `${start > 0 ? '…' : ''}${out}${end < text.length ? '…' : ''}`;
}
