/**
 * Fills a prepared database (demo organisation, reference data) with N realistic work orders quickly: the
 * demo text generator for the words, the real deadline code for the clocks, valid hash chains for the events,
 * and batched multi-row inserts in large transactions. Reusable by any benchmark: `generateOrders(db, n)`.
 */
import { type Kysely, sql } from 'kysely';
import { type Kind, kindPrefix } from '../core/taxonomy.ts';
import { ACTIONS, type ActionCode } from '../core/workflow/index.ts';
import type { Db } from '../server/db/connect.ts';
import type { NewTicket, Ticket } from '../server/db/schema.ts';
import { type Dialect, refreshPlannerStatistics } from '../server/db/sql/index.ts';
import { shanghaiDate } from '../server/domain/calendar.ts';
import { applyEffects, type ClockContext, type Clocks, startClock, summarize, sweepClocks } from '../server/domain/clocks.ts';
import { type ChainedEvent, type EventChain, GENESIS_HASH, stateDigest } from '../server/domain/event-chain.ts';
import { ReferenceRepository } from '../server/repositories/reference.repository.ts';
import { newTicketRow } from '../server/repositories/ticket.repository.ts';
import { DEMO_STATIONS } from '../server/seed/demo-org.ts';
import { type DemoText, demoPerson, demoText, pickClass } from '../server/seed/demo-texts.ts';
import { seededRng } from '../server/seed/demo-tickets.ts';
import { ReferenceService } from '../server/services/reference.service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface GenerateOptions {
  /** The generation's "now": open orders are recent, closed ones spread over two years before it. */
  now?: Date;
  /** Share of open orders (default 0.2). */
  openShare?: number;
  /** The sweeper is taken to have run up to here (default now − 1 hour): clocks before it are marked. */
  sweptUntil?: Date;
  seed?: number;
  /** Orders per transaction (default 2000). */
  batch?: number;
  onProgress?: (done: number, total: number) => void;
  /** The installation's keyed event chain (services.hooks.chain): generated chains verify like written ones. */
  chain: EventChain;
}

export interface GenerateResult {
  orders: number;
  events: number;
  ms: number;
}

type OpenState = 'pending_dispatch' | 'dispatched' | 'in_progress' | 'pending_review' | 'pending_revisit';
const OPEN_STATES: ReadonlyArray<readonly [OpenState, number]> = [
  ['pending_dispatch', 0.1],
  ['dispatched', 0.15],
  ['in_progress', 0.5],
  ['pending_review', 0.15],
  ['pending_revisit', 0.1],
];
/** The happy path; an order in state S has taken the steps up to S. */
const PATH: ReadonlyArray<{ action: ActionCode; to: string; gapH: [number, number] }> = [
  { action: 'dispatch', to: 'dispatched', gapH: [0.2, 1.8] },
  { action: 'sign', to: 'in_progress', gapH: [0.3, 4] },
  { action: 'contact', to: 'in_progress', gapH: [1, 20] },
  { action: 'reply', to: 'pending_review', gapH: [20, 70] },
  { action: 'approve', to: 'pending_revisit', gapH: [2, 20] },
  { action: 'revisit', to: 'closed', gapH: [4, 24] },
];
const STEPS_TO: Record<OpenState | 'closed', number> = {
  pending_dispatch: 0,
  dispatched: 1,
  in_progress: 3,
  pending_review: 4,
  pending_revisit: 5,
  closed: 6,
};
const KIND_WEIGHTS: ReadonlyArray<readonly [Kind, number]> = [
  ['complaint', 0.6],
  ['report', 0.1],
  ['opinion', 0.12],
  ['suggestion', 0.1],
  ['praise', 0.08],
];
const CHANNELS = ['phone', 'phone', 'phone', 'phone', 'mobile', 'web', 'wechat', 'counter'] as const;

function pickWeighted<T>(rng: () => number, xs: ReadonlyArray<readonly [T, number]>): T {
  let r = rng() * xs.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of xs) {
    r -= w;
    if (r <= 0) return v;
  }
  return (xs.at(-1) as readonly [T, number])[0];
}

// A bench-only dialect difference: explicit ids leave PostgreSQL's identity sequence behind (SQLite's
// AUTOINCREMENT follows the largest id by itself).
const SYNC_ID_SEQUENCE: Record<Dialect, (db: Db) => Promise<unknown>> = {
  sqlite: async () => undefined,
  postgres: (db) => sql`select setval(pg_get_serial_sequence('tickets', 'id'), (select max(id) from tickets))`.execute(db.kysely),
};

interface People {
  companyId: number;
  agent: number;
  agentUnit: number;
  reviewer: number;
  reviewerUnit: number;
  stations: Array<{ unitId: number; name: string; weight: number; handler: number; rural: boolean }>;
}

async function people(db: Db): Promise<People> {
  const k = db.kysely;
  const units = new Map((await k.selectFrom('org_units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  const users = new Map((await k.selectFrom('users').select(['id', 'username', 'unit_id']).execute()).map((u) => [u.username, u]));
  const u = (name: string) => {
    const x = users.get(name);
    if (!x) throw new Error(`demo user ${name} missing: run prepare() with the demo organisation first`);
    return x;
  };
  const companyId = units.get('SFX');
  if (!companyId) throw new Error('demo company SFX missing: run prepare() with GRIDVOICE_DEMO_PASSWORD first');
  return {
    companyId,
    agent: u('agent').id,
    agentUnit: u('agent').unit_id,
    reviewer: u('reviewer').id,
    reviewerUnit: u('reviewer').unit_id,
    stations: DEMO_STATIONS.map((s) => ({
      unitId: units.get(s.code) as number,
      name: s.name,
      weight: s.customerCount,
      handler: s.code === 'SFX-DC' ? u('handler2').id : u('handler').id,
      rural: s.areaType === 'rural',
    })),
  };
}

/** Inserts `n` orders with their events (and the unit links of dispatched ones); returns counts and time. */
export async function generateOrders(db: Db, n: number, opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const sweptUntil = opts.sweptUntil ?? new Date(now.getTime() - HOUR);
  const openShare = opts.openShare ?? 0.2;
  const batch = opts.batch ?? 2000;
  const rng = seededRng(opts.seed ?? 7);
  const k = db.kysely;
  const who = await people(db);
  const reference = new ReferenceService(new ReferenceRepository(k), () => now, k);
  const cal = await reference.calendar();
  const policy = await reference.policyAt(now);

  // Texts come from a pool: generating one per order would dominate the run for no extra realism.
  const texts: Array<{ kind: Kind; text: DemoText; station: number }> = [];
  for (let i = 0; i < 3000; i++) {
    const kind = pickWeighted(rng, KIND_WEIGHTS);
    const station = Math.floor(rng() * who.stations.length);
    const st = who.stations[station] as People['stations'][number];
    const month = 1 + Math.floor(rng() * 12);
    const season = month >= 6 && month <= 8 ? 'summer' : month === 12 || month <= 2 ? 'winter' : 'other';
    texts.push({ kind, station, text: demoText(rng, kind, pickClass(rng, kind, month, st.rural), st.name, season) });
  }
  const stationWeights = who.stations.map((s, i) => [i, s.weight] as const);

  const seqs = new Map<string, number>();
  for (const r of await k.selectFrom('number_sequences').selectAll().execute()) seqs.set(`${r.kind}:${r.day}`, r.last);
  const maxId = await k
    .selectFrom('tickets')
    .select((eb) => eb.fn.max<number>('id').as('m'))
    .executeTakeFirst();
  let nextId = Number(maxId?.m ?? 0) + 1;
  let events = 0;

  for (let done = 0; done < n; ) {
    const size = Math.min(batch, n - done);
    const tickets: NewTicket[] = [];
    const evs: Array<Record<string, unknown>> = [];
    const unitLinks: Array<{ ticket_id: number; unit_id: number; first_at: string }> = [];
    for (let i = 0; i < size; i++) {
      const id = nextId++;
      const open = rng() < openShare;
      const state = open ? pickWeighted(rng, OPEN_STATES) : 'closed';
      const steps = STEPS_TO[state];
      const gaps = PATH.slice(0, steps).map((p) => (p.gapH[0] + rng() * (p.gapH[1] - p.gapH[0])) * HOUR);
      const span = gaps.reduce((s, g) => s + g, 0);
      // Open orders came in within the last weeks; closed ones over two years, finished before now.
      const back = open ? span + rng() * (state === 'pending_dispatch' ? 3 * HOUR : 20 * DAY) : span + rng() * 728 * DAY;
      const t0 = new Date(now.getTime() - back);
      const pool = pickWeighted(rng, stationWeights);
      const { kind, text } = texts[Math.floor(rng() * texts.length)] as (typeof texts)[number];
      const st = who.stations[pool] as People['stations'][number];
      const channel = CHANNELS[Math.floor(rng() * CHANNELS.length)] as (typeof CHANNELS)[number];
      const day = shanghaiDate(t0);
      const seqKey = `${kind}:${day}`;
      const seq = (seqs.get(seqKey) ?? 0) + 1;
      seqs.set(seqKey, seq);
      const number = `${kindPrefix(kind)}${day.replaceAll('-', '')}${String(seq).padStart(5, '0')}`;
      const person = demoPerson(rng);
      const anonymous = kind === 'report' && rng() < 0.35;

      const ctx: ClockContext = { cal, policy: policy.rules, kind, channel };
      let clocks: Clocks = startClock(ctx, startClock(ctx, {}, 'dispatch', t0), 'promise', t0);
      let at = t0;
      const row = {
        unit_id: null as number | null,
        assignee_id: null as number | null,
        dispatched_at: null as string | null,
        signed_at: null as string | null,
        first_contact_at: null as string | null,
        replied_at: null as string | null,
        approved_at: null as string | null,
        revisited_at: null as string | null,
        closed_at: null as string | null,
        contact_count: 0,
        verification: null as string | null,
        root_cause: null as string | null,
        responsibility: null as string | null,
        reply_text: null as string | null,
        satisfaction: null as string | null,
      };
      const first = evs.length;
      const push = (action: string, from: string | null, to: string, actor: number, unit: number, input: object) => {
        evs.push({
          ticket_id: id,
          seq: evs.length === 0 || evs.at(-1)?.ticket_id !== id ? 1 : (evs.at(-1)?.seq as number) + 1,
          action,
          actor_id: actor,
          actor_unit_id: unit,
          from_state: from,
          to_state: to,
          input: JSON.stringify(input),
          at: at.toISOString(),
          prev_hash: GENESIS_HASH,
        });
      };
      push('intake', null, 'pending_dispatch', who.agent, who.agentUnit, {
        kind,
        channel,
        classCode: text.classCode,
        grade: 'normal',
        number,
      });
      let current = 'pending_dispatch';
      for (const [s, p] of PATH.slice(0, steps).entries()) {
        at = new Date(at.getTime() + (gaps[s] as number));
        const iso = at.toISOString();
        const byAgent = p.action === 'dispatch' || p.action === 'revisit';
        const actor = byAgent ? who.agent : p.action === 'approve' ? who.reviewer : st.handler;
        const unit = byAgent ? who.agentUnit : p.action === 'approve' ? who.reviewerUnit : st.unitId;
        let input: object = {};
        if (p.action === 'dispatch') {
          row.unit_id = st.unitId;
          row.dispatched_at = iso;
          unitLinks.push({ ticket_id: id, unit_id: st.unitId, first_at: iso });
          input = { unitId: st.unitId };
        } else if (p.action === 'sign') {
          row.signed_at = iso;
          row.assignee_id = st.handler;
        } else if (p.action === 'contact') {
          row.first_contact_at = iso;
          row.contact_count = 1;
          input = { note: '已电话联系客户，说明处理进度。' };
        } else if (p.action === 'reply') {
          row.replied_at = iso;
          row.verification = text.verification;
          row.root_cause = text.rootCause || null;
          row.responsibility = text.responsibility;
          row.reply_text = text.reply;
          input = {
            verification: text.verification,
            rootCause: text.rootCause,
            responsibility: text.responsibility,
            replyText: text.reply,
          };
        } else if (p.action === 'approve') {
          row.approved_at = iso;
        } else {
          row.revisited_at = iso;
          row.closed_at = iso;
          row.satisfaction = rng() < 0.85 ? 'satisfied' : rng() < 0.7 ? 'basically' : 'dissatisfied';
          input = { outcome: row.satisfaction };
        }
        clocks = applyEffects(ctx, clocks, ACTIONS[p.action].effects, at);
        push(p.action, current, p.to, actor, unit, input);
        current = p.to;
      }
      if (open) clocks = sweepClocks(clocks, sweptUntil).clocks;
      const summary = summarize(clocks, open);
      const onTime = (key: keyof Clocks) => {
        const c = clocks[key];
        return c?.metAt ? (c.onTime ? 1 : 0) : null;
      };
      const last = evs.at(-1) as { seq: number };
      // Every column a new order starts with, then what this generated order has become.
      tickets.push(
        Object.assign(
          newTicketRow({
            company_id: who.companyId,
            number,
            kind,
            channel,
            class_code: text.classCode,
            subject: text.subject,
            description: text.description,
            location: text.location || null,
            customer_id: null,
            customer_name: kind === 'report' || anonymous ? null : person.name,
            customer_phone: kind === 'report' || anonymous ? null : person.phone,
            customer_account: kind === 'report' || anonymous ? null : person.account,
            anonymous: anonymous ? 1 : 0,
            pseudonym: kind === 'report' ? `举报人-${number.slice(-6)}` : null,
            external_ref: null,
            grade: 'normal',
            state,
            version: last.seq,
            intake_by: who.agent,
            intake_at: t0.toISOString(),
            policy_id: policy.id,
            revisit_attempts: row.revisited_at ? 1 : 0,
            clocks: JSON.stringify(clocks),
            ...summary,
            ...row,
            first_contact_on_time: onTime('first_contact'),
            reply_on_time: onTime('reply'),
            promise_on_time: onTime('promise'),
            revisit_on_time: onTime('revisit'),
            last_event_hash: '',
            created_at: t0.toISOString(),
            updated_at: at.toISOString(),
          }),
          { id },
        ),
      );
      // Sealed in order once the row is known: only the last event commits to a recorded row state (the
      // generator keeps no intermediate rows, like a chain re-keyed from before the keyed chain).
      const ticket = tickets.at(-1) as NewTicket;
      let prev = GENESIS_HASH;
      for (let j = first; j < evs.length; j++) {
        const sealed = {
          ...(evs[j] as unknown as ChainedEvent),
          prev_hash: prev,
          state_digest: j === evs.length - 1 ? stateDigest(ticket as Ticket) : '',
        };
        prev = opts.chain.hash(sealed);
        evs[j] = { ...sealed, hash: prev };
      }
      ticket.last_event_hash = prev;
    }
    // One transaction per batch: a crash leaves whole batches, and the commit cost is shared by thousands of rows.
    await k.transaction().execute(async (trx) => {
      // SQLite allows 32,766 bound values per statement: ~80 columns × 200 rows stays under it.
      for (let i = 0; i < tickets.length; i += 200)
        await trx
          .insertInto('tickets')
          .values(tickets.slice(i, i + 200))
          .execute();
      for (let i = 0; i < evs.length; i += 2000)
        await trx
          .insertInto('ticket_events')
          .values(evs.slice(i, i + 2000) as never)
          .execute();
      for (let i = 0; i < unitLinks.length; i += 5000)
        await trx
          .insertInto('ticket_units')
          .values(unitLinks.slice(i, i + 5000))
          .execute();
    });
    events += evs.length;
    done += size;
    opts.onProgress?.(done, n);
  }
  await k.transaction().execute(async (trx) => {
    for (const [key, last] of seqs) {
      const [kind, day] = key.split(':') as [string, string];
      await trx
        .insertInto('number_sequences')
        .values({ kind, day, last })
        .onConflict((oc) => oc.columns(['kind', 'day']).doUpdateSet({ last }))
        .execute();
    }
  });
  await SYNC_ID_SEQUENCE[db.dialect](db);
  // Fresh planner statistics, as the nightly job keeps them in production.
  await refreshPlannerStatistics(db.kysely as Kysely<unknown>, db.dialect);
  return { orders: n, events, ms: performance.now() - started };
}
