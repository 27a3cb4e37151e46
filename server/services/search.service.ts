import type { Ticket } from '../db/schema.ts';
import { type CustomerAccess, customerAccessOf, mayLookUpCustomers } from '../domain/customer-data.ts';
import {
  cleanSynonymGroup,
  hasText,
  type Identifier,
  matchSequences,
  type ParsedQuery,
  parseQuery,
  type QueryTerm,
  type SynonymIndex,
  scopeToken,
  scopeTokens,
  searchTokens,
  synonymIndex,
} from '../domain/text/search-query.ts';
import { snippet } from '../domain/text/similarity.ts';
import { AppError, invalidField } from '../errors.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import {
  type IdentifierField,
  type IndexedOrder,
  SEARCH_WINDOW,
  type SearchRepository,
  type TextMatch,
} from '../repositories/search.repository.ts';
import type { Scope } from '../repositories/visibility.sql.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { TicketChangeHook } from './ticket-hooks.ts';
import { ticketView } from './ticket-view.ts';
import { scopeOf } from './workflow.service.ts';

/** The text the index covers: subject, description, the reply to the customer and the address. */
function indexedText(t: Pick<Ticket, 'subject' | 'description' | 'reply_text' | 'location'>): string {
  return [t.subject, t.description, t.reply_text ?? '', t.location ?? ''].join('\n');
}

/** What the index stores for an order: the words of its text and the tokens of whose view it is in. */
function indexEntry(o: IndexedOrder): string {
  return `${searchTokens(indexedText(o))} ${scopeTokens(o.company_id, o.units).join(' ')}`;
}

/** Beyond this many scope tokens (a role over a large part of the tree) the index is not asked to narrow. */
const MAX_SCOPE_TOKENS = 64;

/**
 * The scope tokens of which every order a scope may see carries one (see scopeTokens), or null when the
 * scope covers every company's orders or is too wide to list: the index then returns matches unnarrowed.
 * Either way the visibility rule decides; this only spares it the rows it would turn away.
 */
function scopeFilter(scope: Scope, units: ReadonlyArray<{ id: number; kind: string; path: string }>): string[] | null {
  const tokens: string[] = [];
  const { companyPath, unitPath } = scope;
  if (companyPath !== null) {
    const companies = units.filter((u) => u.kind === 'company');
    const mine = companies.filter((c) => c.path.startsWith(companyPath));
    if (mine.length === companies.length) return null;
    tokens.push(...mine.map((c) => scopeToken('company', c.id)));
  }
  if (unitPath !== null) tokens.push(...units.filter((u) => u.path.startsWith(unitPath)).map((u) => scopeToken('unit', u.id)));
  return tokens.length > 0 && tokens.length <= MAX_SCOPE_TOKENS ? tokens : null;
}

/** The index's form of a parsed query's text (null when nothing but exclusions is left). */
function textMatch(p: ParsedQuery): TextMatch | null {
  const seqs = (t: QueryTerm) => t.any.map(matchSequences).filter((alt) => alt.length > 0);
  const all = p.all.map(seqs).filter((t) => t.length > 0);
  if (all.length === 0) return null;
  return { all, none: p.none.map(seqs).filter((t) => t.length > 0) };
}

/**
 * The fields an actor may find orders by: the number always; the phone and the account only when the masking
 * policy shows the actor customers unmasked, or a search would reveal whose orders they are.
 */
function lookupFields(access: CustomerAccess, id: Identifier): IdentifierField[] {
  if (id.kind === 'number') return ['number'];
  return mayLookUpCustomers(access) ? ['phone', 'account'] : [];
}

/** How many orders found by number, phone or account are listed (before the text matches). */
const IDENTIFIER_LIMIT = 100;

function encodeOffset(n: number): string {
  return Buffer.from(JSON.stringify({ o: n })).toString('base64url');
}

function decodeOffset(s: string): number {
  try {
    const o = (JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { o?: unknown }).o;
    if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the 400 below
  }
  throw invalidField('cursor', 'is not a cursor this API returned');
}

/** Full-text search over the orders, kept in step with every change by a TicketHooks listener. */
export class SearchService {
  constructor(
    private readonly index: SearchRepository,
    private readonly org: OrgRepository,
    /** How many of the newest matches are ranked; tests lower it to see the cap at work. */
    private readonly window = SEARCH_WINDOW,
    private readonly clock: Clock = () => new Date(),
  ) {}

  /** The listener that (re)indexes an order at intake and whenever its subject, description, reply or address changes. */
  readonly indexer: TicketChangeHook = async (trx, { before, after }) => {
    if (before && indexedText(before) === indexedText(after) && before.unit_id === after.unit_id) return;
    // A new order has been dispatched nowhere before (no look-up on the intake path); a changed one keeps the
    // units it was dispatched to.
    const units = before ? await this.index.unitsOf(after, trx) : [after.unit_id];
    await this.index.index(after.id, after.company_id, indexEntry({ ...after, units }), trx);
  };

  /** Whether every index row carries its scope tokens (no format rewrite pending); once true, true for good. */
  private async indexCurrent(): Promise<boolean> {
    if (!this.current) this.current = (await this.index.reindexCursor()) === null;
    return this.current;
  }

  private current = false;

  /** The synonym groups that widen the queries of the actor's company (a small table, read per search). */
  private async synonymsFor(actor: Actor): Promise<SynonymIndex> {
    if (actor.companyId === null) return new Map();
    return synonymIndex((await this.index.synonyms(actor.companyId)).map((r) => JSON.parse(r.words) as string[]));
  }

  /** The company's synonym groups (admins keep them; anyone who searches may read them). */
  async synonymGroups(actor: Actor) {
    if (!actor.roles.includes('admin')) requirePermission(actor, 'ticket.read');
    const rows = await this.index.synonyms(this.companyOf(actor));
    return rows.map((r) => ({ id: r.id, words: JSON.parse(r.words) as string[], updatedAt: r.updated_at }));
  }

  /** Adds a synonym group (400 `words` when fewer than two usable words). */
  async addSynonymGroup(actor: Actor, words: readonly string[]) {
    requirePermission(actor, 'admin.taxonomy');
    const clean = cleanSynonymGroup(words);
    if ('error' in clean) throw invalidField('words', clean.error);
    const at = iso(this.clock());
    const id = await this.index.addSynonyms({
      company_id: this.companyOf(actor),
      words: JSON.stringify(clean.words),
      updated_by: actor.userId,
      updated_at: at,
    });
    return { id, words: clean.words, updatedAt: at };
  }

  /** Replaces the words of a synonym group (404 when the company has no such group). */
  async updateSynonymGroup(actor: Actor, id: number, words: readonly string[]) {
    requirePermission(actor, 'admin.taxonomy');
    const clean = cleanSynonymGroup(words);
    if ('error' in clean) throw invalidField('words', clean.error);
    const at = iso(this.clock());
    const ok = await this.index.updateSynonyms(this.companyOf(actor), id, {
      words: JSON.stringify(clean.words),
      updated_by: actor.userId,
      updated_at: at,
    });
    if (!ok) throw new AppError('not_found', `Synonym group ${id} not found`);
    return { id, words: clean.words, updatedAt: at };
  }

  async deleteSynonymGroup(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'admin.taxonomy');
    if (!(await this.index.deleteSynonyms(this.companyOf(actor), id))) throw new AppError('not_found', `Synonym group ${id} not found`);
  }

  private companyOf(actor: Actor): number {
    if (actor.companyId === null) throw new AppError('forbidden', 'Your unit belongs to no company');
    return actor.companyId;
  }

  /**
   * One search box: the orders in the actor's scope whose number, phone or account the query is (first, as
   * far as the actor may look them up), then those whose text matches it (see parseQuery), ranked among the
   * newest matches (`truncated` when there are more than the window holds), with marked snippets.
   */
  async search(actor: Actor, q: string, limit: number, cursor: string | null) {
    requirePermission(actor, 'ticket.read');
    const parsed = parseQuery(q, await this.synonymsFor(actor));
    const access = customerAccessOf(actor.roles);
    const scope = scopeOf(actor);
    const pinned = parsed.identifier
      ? await this.index.findByIdentifier(scope, lookupFields(access, parsed.identifier), parsed.identifier.value, IDENTIFIER_LIMIT)
      : [];
    const text = textMatch(parsed);
    if (!text && !parsed.identifier) throw invalidField('q', 'needs at least one word');
    const offset = cursor ? decodeOffset(cursor) : 0;
    const orgUnits = await this.org.list();
    const within = text && (await this.indexCurrent()) ? scopeFilter(scope, orgUnits) : null;
    const match = text && within ? { ...text, within } : text;
    const { rows, total, truncated } = await this.index.search(scope, match, pinned, limit, offset, this.window);
    const units = new Map(orgUnits.map((u) => [u.id, u.name]));
    const marks = parsed.all.flatMap((t) => t.any);
    return {
      terms: parsed.all.map((t) => t.text),
      excluded: parsed.none.map((t) => t.text),
      synonyms: parsed.all.filter((t) => t.any.length > 1).map((t) => ({ term: t.text, any: t.any })),
      total,
      truncated,
      items: rows.map((r) => ({
        ...ticketView(r, access, { unitName: r.unit_id ? units.get(r.unit_id) : null }),
        rank: Number(r.rank),
        matchedBy: r.matchedBy,
        snippets: {
          subject: snippet(r.subject, marks, 40),
          description: snippet(r.description, marks),
          reply: snippet(r.reply_text, marks),
          // The address is shown only to those who see it whole (the one masking policy).
          location: access === 'full' ? snippet(r.location, marks, 40) : null,
        },
      })),
      nextCursor: offset + limit < total ? encodeOffset(offset + limit) : null,
    };
  }

  /** The work-list filter for a search box: the orders matching the text of `q` (400 when it has no word to find). */
  listFilter(q: string) {
    const parsed = parseQuery(q);
    const match = hasText(parsed) ? textMatch(parsed) : null;
    if (!match) throw invalidField('q', 'needs at least one word');
    return this.index.matching(match);
  }

  private backfilled = false;

  /**
   * One pass of the search backfill job: the first pass of a process indexes orders that have no index row;
   * every pass then rewrites up to `budget` rows still in an older index format (where a migration left the
   * rewrite's cursor), so that a large database is upgraded in the background, a slice per pass.
   */
  async backfill(budget = 20_000): Promise<number> {
    let done = 0;
    if (!this.backfilled) {
      done += await this.reindexMissing();
      this.backfilled = true;
    }
    return done + (await this.upgradeIndex(budget));
  }

  /** Rewrites up to `budget` index rows from where the format rewrite stands; returns how many. */
  async upgradeIndex(budget = Number.POSITIVE_INFINITY, batch = 500): Promise<number> {
    let after = await this.index.reindexCursor();
    let done = 0;
    while (after !== null && done < budget) {
      const last = await this.index.reindexAfter(after, batch, indexEntry);
      done += batch;
      after = last;
      await this.index.setReindexCursor(after);
    }
    return done;
  }

  /** Indexes every order that has no index row yet (orders from before migration 002, imports); returns the count. */
  async reindexMissing(batch = 500): Promise<number> {
    if (await this.index.fullyIndexed()) return 0;
    let after = 0;
    let done = 0;
    for (;;) {
      const { rows, last } = await this.index.unindexed(after, batch);
      await this.index.indexBatch(rows.map((r) => ({ id: r.id, companyId: r.company_id, words: indexEntry(r) })));
      done += rows.length;
      if (last === null) return done;
      after = last;
    }
  }
}
