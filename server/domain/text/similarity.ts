import { normalize, words } from './segment.ts';

/** Duplicate detection and snippets: pure text helpers over jieba words. */

/** The set of meaningful words of a text (single characters dropped: they match too easily). */
export function wordSet(text: string): Set<string> {
  return new Set(words(text).filter((w) => w.length > 1));
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
