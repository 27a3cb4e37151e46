import { permissionsOf } from '../../core/permissions.ts';
import type { Ticket } from '../db/schema.ts';
import { tokens } from '../domain/text/segment.ts';
import { queryTerms, snippet } from '../domain/text/similarity.ts';
import { invalidField } from '../errors.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import { SEARCH_WINDOW, type TextRepository } from '../repositories/text.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { TicketChangeHook } from './ticket-hooks.ts';
import { ticketView } from './ticket-view.ts';
import { scopeOf } from './workflow.service.ts';

/** The text the index covers: subject, description, the reply to the customer and the address. */
function indexedText(t: Pick<Ticket, 'subject' | 'description' | 'reply_text' | 'location'>): string {
  return [t.subject, t.description, t.reply_text ?? '', t.location ?? ''].join('\n');
}

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

/** Full-text search over the orders (DESIGN §11), kept in step with every change by a TicketHooks listener. */
export class SearchService {
  constructor(
    private readonly text: TextRepository,
    private readonly org: OrgRepository,
    /** How many of the newest matches are ranked; tests lower it to see the cap at work. */
    private readonly window = SEARCH_WINDOW,
  ) {}

  /** The listener that (re)indexes an order at intake and whenever its subject, description, reply or address changes. */
  readonly indexer: TicketChangeHook = async (trx, { before, after }) => {
    if (before && indexedText(before) === indexedText(after)) return;
    await this.text.index(after.id, after.company_id, tokens(indexedText(after)), trx);
  };

  /**
   * A ranked page of the orders in the actor's scope containing every word of `q`, with marked snippets,
   * ranked among the newest matches (`truncated` when there are more than the window holds).
   */
  async search(actor: Actor, q: string, limit: number, cursor: string | null) {
    requirePermission(actor, 'ticket.read');
    const terms = queryTerms(q);
    if (terms.length === 0) throw invalidField('q', 'needs at least one word');
    const offset = cursor ? decodeOffset(cursor) : 0;
    const { rows, total, truncated } = await this.text.search(scopeOf(actor), terms, limit, offset, this.window);
    const perms = permissionsOf(actor.roles);
    const units = new Map((await this.org.list()).map((u) => [u.id, u.name]));
    return {
      terms,
      total,
      truncated,
      items: rows.map((r) => ({
        ...ticketView(r, perms, { unitName: r.unit_id ? units.get(r.unit_id) : null }),
        rank: Number(r.rank),
        snippets: {
          subject: snippet(r.subject, terms, 40),
          description: snippet(r.description, terms),
          reply: snippet(r.reply_text, terms),
          location: snippet(r.location, terms, 40),
        },
      })),
      nextCursor: offset + limit < total ? encodeOffset(offset + limit) : null,
    };
  }

  /** The work-list filter for a search box: the orders containing every word of `q` (400 when it has none). */
  listFilter(q: string) {
    const terms = queryTerms(q);
    if (terms.length === 0) throw invalidField('q', 'needs at least one word');
    return this.text.matching(terms);
  }

  private backfilled = false;

  /** The first job pass of a process indexes orders that predate the index; later passes do nothing. */
  async backfillOnce(): Promise<number> {
    if (this.backfilled) return 0;
    const n = await this.reindexMissing();
    this.backfilled = true;
    return n;
  }

  /** Indexes every order that has no index row yet (orders from before migration 002, imports); returns the count. */
  async reindexMissing(batch = 500): Promise<number> {
    if (await this.text.fullyIndexed()) return 0;
    let after = 0;
    let done = 0;
    for (;;) {
      const { rows, last } = await this.text.unindexed(after, batch);
      await this.text.indexBatch(rows.map((r) => ({ id: r.id, companyId: r.company_id, words: tokens(indexedText(r)) })));
      done += rows.length;
      if (last === null) return done;
      after = last;
    }
  }
}
