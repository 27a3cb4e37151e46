import { charBigrams, indexWords, normalize, STOPWORDS, segmentRaw } from './segment.ts';

/**
 * What an agent types into the one search box, parsed (pure). An order number, a phone or an account number
 * is an identifier; anything else is text:
 * - unquoted Chinese is segmented into words, each matched as a substring of the order's text (any run of two
 *   or more characters matches, 面机 inside 和面机), all words required;
 * - a space inside a Chinese word is ignored (电 费 = 电费, 供电 所 = 供电所), one between words is not;
 * - `"…"` (or “…”) is one phrase, matched as it stands;
 * - `-词` excludes the orders that contain 词.
 */

/** A piece of text an order must (or must not) contain; `any` holds it and its synonyms, one of which matches. */
export interface QueryTerm {
  text: string;
  any: string[];
}

export interface ParsedQuery {
  /** Every term must match (each through one of its alternatives). */
  all: QueryTerm[];
  /** No order containing one of these matches. */
  none: QueryTerm[];
  /** The query read as an order number, a phone or an account number, when it looks like one. */
  identifier: Identifier | null;
}

export type Identifier = { kind: 'number'; value: string } | { kind: 'digits'; value: string };

const HAN = /\p{Script=Han}/u;
const HAN_ONLY = /^\p{Script=Han}+$/u;
/** At most this many terms are searched: a query longer than a sentence is not a search. */
const MAX_TERMS = 12;

/** An order number (TS2026112700042) or a prefix of one down to its day; upper-cased. */
const ORDER_NUMBER = /^(TS|JB|YJ|JY|BY)\d{8,13}$/;
/** A phone (mobile or landline, hyphens allowed) or an account number 户号: 7 to 20 digits. */
const DIGITS = /^\d{7,20}$/;

/** Reads the query as an identifier: an order number (or its prefix to the day) or a run of 7–20 digits. */
export function identifierOf(q: string): Identifier | null {
  const compact = normalize(q).replace(/[\s-]/g, '').toUpperCase();
  if (ORDER_NUMBER.test(compact)) return { kind: 'number', value: compact };
  if (DIGITS.test(compact)) return { kind: 'digits', value: compact };
  return null;
}

/** Splits the query into chunks: quoted phrases, `-` exclusions and plain runs, spaces between Chinese removed. */
function chunks(q: string): Array<{ text: string; phrase: boolean; exclude: boolean; lastPiece: string }> {
  const out: Array<{ text: string; phrase: boolean; exclude: boolean; lastPiece: string }> = [];
  const re = /(-?)[“"]([^”"]*)[”"]?|(\S+)/gu;
  for (const m of normalize(q).matchAll(re)) {
    if (m[2] !== undefined) {
      const text = m[2].replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '').trim();
      if (text) out.push({ text, phrase: true, exclude: m[1] === '-', lastPiece: '' });
      continue;
    }
    const raw = m[3] as string;
    if (raw.length > 1 && raw.startsWith('-')) {
      out.push({ text: raw.slice(1), phrase: true, exclude: true, lastPiece: '' });
      continue;
    }
    const prev = out.at(-1);
    // 电 费, 供电 所: a space that leaves a single Chinese character on one side splits a word, it does not
    // separate two (抢修 电费 stays two words).
    const joins =
      prev && !prev.phrase && HAN_ONLY.test(prev.lastPiece) && HAN_ONLY.test(raw) && (prev.lastPiece.length === 1 || raw.length === 1);
    if (prev && joins) {
      prev.text += raw;
      prev.lastPiece = raw;
    } else out.push({ text: raw, phrase: false, exclude: false, lastPiece: raw });
  }
  return out;
}

/**
 * The words of an unquoted chunk: jieba's words, stopwords dropped; characters jieba leaves single are
 * joined (电|费 → 电费), and a lone one goes with the word beside it (西湖|村 → 西湖村), since a single
 * character would match far too much.
 */
function chunkWords(text: string): string[] {
  const out: string[] = [];
  // Runs of Chinese pieces between stopwords, punctuation and non-Chinese words.
  const runs: string[][] = [[]];
  for (const piece of segmentRaw(text)) {
    const p = piece.trim();
    if (p && HAN_ONLY.test(p) && !STOPWORDS.has(p)) {
      runs.at(-1)?.push(p);
      continue;
    }
    runs.push([]);
    if (p && !STOPWORDS.has(p) && /[\p{L}\p{N}]/u.test(p)) out.push(p);
  }
  for (const run of runs) {
    const words: string[] = [];
    let singles = '';
    const flush = () => {
      if (singles.length > 1 || (singles && words.length === 0)) words.push(singles);
      else if (singles) words[words.length - 1] += singles;
      singles = '';
    };
    for (const p of run) {
      if (p.length === 1) {
        singles += p;
        continue;
      }
      const lone = singles.length === 1 && words.length === 0;
      flush();
      // A lone character before the first word goes with it.
      if (lone) words[words.length - 1] += p;
      else words.push(p);
    }
    flush();
    out.push(...words);
  }
  return out;
}

/** Parses a search box query; `synonyms` widens each required term by its group (see widen()). */
export function parseQuery(q: string, synonyms: SynonymIndex = new Map()): ParsedQuery {
  const all: string[] = [];
  const none: string[] = [];
  for (const c of chunks(q)) {
    const target = c.exclude ? none : all;
    if (c.phrase) target.push(c.text);
    else target.push(...chunkWords(c.text));
  }
  const term = (text: string): QueryTerm => ({ text, any: widen(text, synonyms) });
  return {
    all: [...new Set(all)].slice(0, MAX_TERMS).map(term),
    none: [...new Set(none)].slice(0, MAX_TERMS).map((text) => ({ text, any: [text] })),
    identifier: identifierOf(q),
  };
}

/** Word → the other words of its synonym groups (normalised). */
export type SynonymIndex = ReadonlyMap<string, readonly string[]>;

/** Builds the lookup of synonym groups (跳闸/断电, 表计/电表 …): each word finds every word of its groups. */
export function synonymIndex(groups: ReadonlyArray<readonly string[]>): SynonymIndex {
  const out = new Map<string, Set<string>>();
  for (const g of groups) {
    const ws = g.map((w) => normalize(w).replace(/\s+/g, '')).filter(Boolean);
    for (const w of ws) {
      const s = out.get(w) ?? new Set<string>();
      for (const o of ws) s.add(o);
      out.set(w, s);
    }
  }
  return new Map([...out].map(([w, s]) => [w, [...s]]));
}

/** How many words a synonym group may have, and how long each may be. */
export const SYNONYM_LIMITS = { words: 12, length: 20 } as const;

/**
 * A synonym group as an admin entered it, cleaned: each word normalised (full-width folded, lowercase, spaces
 * removed) and deduplicated; an error names what is wrong when fewer than two different usable words remain
 * or a word could not be searched for (no letter or digit, or the query syntax 「"」 or a leading 「-」).
 */
export function cleanSynonymGroup(words: readonly string[]): { words: string[] } | { error: string } {
  const out: string[] = [];
  for (const raw of words) {
    const w = normalize(raw).replace(/\s+/g, '');
    if (!w) continue;
    if (w.length > SYNONYM_LIMITS.length) return { error: `a word is longer than ${SYNONYM_LIMITS.length} characters` };
    if (!/[\p{L}\p{N}]/u.test(w) || w.startsWith('-') || /["“”]/.test(w)) return { error: `"${raw}" is not a word search can find` };
    if (!out.includes(w)) out.push(w);
  }
  if (out.length < 2) return { error: 'needs at least two different words' };
  if (out.length > SYNONYM_LIMITS.words) return { error: `has more than ${SYNONYM_LIMITS.words} words` };
  return { words: out };
}

/** A term and its synonyms, the term first. */
function widen(text: string, synonyms: SynonymIndex): string[] {
  return [...new Set([text, ...(synonyms.get(text) ?? [])])];
}

/**
 * How the index matches a piece of text, as token sequences that must all occur: a run of Chinese as the
 * sequence of its character bigrams (a phrase; one character stands alone), anything else as its words.
 */
export function matchSequences(text: string): string[][] {
  const out: string[][] = [];
  for (const part of normalize(text).match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) ?? []) {
    // A word jieba keeps whole is in the index as one token (cutForSearch emits it): one posting list to read
    // instead of a phrase over the position lists of its bigrams, several times faster at a million orders.
    if (HAN.test(part)) out.push(part.length <= 2 || isWholeWord(part) ? [part] : charBigrams(part));
    else for (const w of indexWords(part)) if (!forgesScope(w)) out.push([w]);
  }
  return out;
}

/** Whether jieba reads a run of Chinese as one word, so that indexing it emits the run itself as a token. */
function isWholeWord(run: string): boolean {
  const pieces = segmentRaw(run);
  return pieces.length === 1 && pieces[0] === run;
}

/** The words of a text as the search index stores them: jieba's words, then the character bigrams. */
export function searchTokens(text: string): string {
  const bigrams = charBigrams(text);
  const words = indexWords(text);
  // Every word is a piece of the normalised text, and forgesScope works character by character: a text that
  // cannot forge a scope token has no word that can, and one check of it spares one per word (hundreds).
  return [...(forgesScope(normalize(text)) ? words.filter((w) => !forgesScope(w)) : words), ...bigrams].join(' ');
}

/**
 * Index tokens saying whose view an order is in: its company, and each unit it is at or has been dispatched
 * to (a unit keeps seeing the orders once dispatched to it). With them the index itself narrows a 供电所's
 * search to the orders of its units, instead of checking the visibility of every match row by row; the
 * visibility rule is still applied to what the index returns. No text can forge one: a word of this form is
 * dropped from the text an order is indexed by and from every query (see forgesScope).
 */
export function scopeTokens(companyId: number, unitIds: Iterable<number | null>): string[] {
  const out = new Set([`${SCOPE_PREFIX}c${companyId}`]);
  for (const u of unitIds) if (u !== null) out.add(`${SCOPE_PREFIX}u${u}`);
  return [...out];
}

/** The scope token of a unit, or of a company, as scopeTokens writes them. */
export const scopeToken = (kind: 'company' | 'unit', id: number) => `${SCOPE_PREFIX}${kind === 'company' ? 'c' : 'u'}${id}`;

const SCOPE_PREFIX = 'gvscope';

/** Whether a word could yield a scope token once the engine's tokenizer splits it and strips its accents. */
function forgesScope(word: string): boolean {
  return word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().includes(SCOPE_PREFIX);
}

/** Whether a parsed query can be searched as text (it has a term that is not only an exclusion). */
export function hasText(q: ParsedQuery): boolean {
  return q.all.some((t) => t.any.some((a) => matchSequences(a).length > 0));
}
