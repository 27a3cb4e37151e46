import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prepare, StartupError } from '../../server/bootstrap.ts';
import { createServices } from '../../server/container.ts';
import type { Database } from '../../server/db/schema.ts';
import { GENESIS_HASH, legacyHash } from '../../server/domain/event-chain.ts';
import { act, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp } from '../harness.ts';

type H = Record<string, string>;

describeEachDb('event chain tamper evidence', (dialect) => {
  let t: TestApp;
  let agent: H;
  let handler: H;

  beforeAll(async () => {
    t = await makeTestApp(dialect);
    agent = await t.login('agent');
    handler = await t.login('handler');
  });
  afterAll(async () => t?.close());

  /** A new order dispatched to 城关 (two events); returns its id and number. */
  async function order(): Promise<{ id: number; number: string }> {
    const res = await intake(t, agent);
    expect(res.statusCode, res.body).toBe(201);
    const { id, number } = JSON.parse(res.body).ticket as { id: number; number: string };
    const r = await act(t, agent, id, 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-CG') });
    expect(r.statusCode, r.body).toBe(200);
    return { id, number };
  }

  const k = () => t.db.kysely;
  const events = (id: number) => k().selectFrom('ticket_events').selectAll().where('ticket_id', '=', id).orderBy('seq').execute();
  const findingsOf = (r: { broken: Array<{ number: string; problem: string }> }, number: string) =>
    r.broken.filter((b) => b.number === number).map((b) => b.problem);

  /** Rewrites an order's whole chain with unkeyed SHA-256 hashes, as anyone with database access can. */
  async function rehashPlain(id: number, edit: (e: Awaited<ReturnType<typeof events>>[number]) => void = () => {}) {
    let prev = GENESIS_HASH;
    for (const e of await events(id)) {
      edit(e);
      const hash = legacyHash({ ...e, prev_hash: prev });
      await k().updateTable('ticket_events').set({ input: e.input, prev_hash: prev, hash }).where('id', '=', e.id).execute();
      prev = hash;
    }
    await k().updateTable('tickets').set({ last_event_hash: prev }).where('id', '=', id).execute();
  }

  it('verifies untouched orders and finds each kind of tampering by order number', async () => {
    type O = { id: number; number: string };
    const made: O[] = [];
    for (let i = 0; i < 7; i++) made.push(await order());
    const [edited, dropped, deleted, satisfaction, reply, phone, clean] = made as [O, O, O, O, O, O, O];
    const cp = await t.app.services.chain.checkpoint();
    expect(cp).toMatchObject({ orders: 7, events: 14 });
    const before = await t.app.services.chain.verify();
    expect(before.broken).toEqual([]);
    expect(before.checkpoint).toMatchObject({ orders: 7, events: 14 });

    // An event's content edited, every hash recomputed (unkeyed) so that the plain chain still links.
    await rehashPlain(edited.id, (e) => {
      if (e.seq === 2) e.input = e.input.replace(/"unitId":\d+/, '"unitId":1');
    });
    // The last event dropped and the row rewound to the event before it.
    const [intakeEvent] = await events(dropped.id);
    await k().deleteFrom('ticket_events').where('ticket_id', '=', dropped.id).where('seq', '=', 2).execute();
    await k()
      .updateTable('tickets')
      .set({ version: 1, state: 'pending_dispatch', unit_id: null, last_event_hash: intakeEvent?.hash as string })
      .where('id', '=', dropped.id)
      .execute();
    // A whole order deleted with its events, foreign keys switched off as a database owner can.
    const remove = async (q: Kysely<Database>) => {
      await q.deleteFrom('ticket_events').where('ticket_id', '=', deleted.id).execute();
      await q.deleteFrom('tickets').where('id', '=', deleted.id).execute();
    };
    if (dialect === 'postgres')
      await k()
        .transaction()
        .execute(async (trx) => {
          await sql`set local session_replication_role = replica`.execute(trx);
          await remove(trx);
        });
    else {
      await sql`pragma foreign_keys = off`.execute(k());
      await remove(k());
      await sql`pragma foreign_keys = on`.execute(k());
    }
    // Order rows edited outside the workflow.
    await k().updateTable('tickets').set({ satisfaction: 'satisfied' }).where('id', '=', satisfaction.id).execute();
    await k().updateTable('tickets').set({ reply_text: '已妥善处理，客户表示满意。' }).where('id', '=', reply.id).execute();
    await k().updateTable('tickets').set({ customer_phone: '13900000000' }).where('id', '=', phone.id).execute();

    const r = await t.app.services.chain.verify();
    expect(r.checked).toBe(6);
    expect(findingsOf(r, edited.number)).toEqual(['content does not match its keyed hash (edited, or written without the key)']);
    expect(findingsOf(r, dropped.number)).toEqual([
      'order row differs from the state its last event recorded (edited outside the workflow)',
      `truncated: checkpoint #${(cp as { id: number }).id} (${r.checkpoint?.at}) recorded 2 events, 1 remain`,
    ]);
    expect(findingsOf(r, deleted.number)).toEqual([
      `order deleted: checkpoint #${(cp as { id: number }).id} (${r.checkpoint?.at}) recorded it with 2 events`,
    ]);
    for (const o of [satisfaction, reply, phone])
      expect(findingsOf(r, o.number)).toEqual(['order row differs from the state its last event recorded (edited outside the workflow)']);
    expect(findingsOf(r, clean.number)).toEqual([]);

    // A new checkpoint would cover the evidence over: it is refused, naming the orders.
    const refused = await t.app.services.chain.checkpoint();
    expect('refused' in refused && refused.refused.map((f) => f.number).sort()).toEqual([deleted.number, dropped.number].sort());
  });

  it('finds an edited checkpoint by its signature', async () => {
    const before = await k().selectFrom('chain_checkpoints').select(['id', 'orders']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    await k()
      .updateTable('chain_checkpoints')
      .set({ orders: before.orders - 1 })
      .where('id', '=', before.id)
      .execute();
    const r = await t.app.services.chain.verify();
    expect(findingsOf(r, `checkpoint #${before.id}`)).toContain('signature does not match (a checkpoint was edited or removed)');
    await k().updateTable('chain_checkpoints').set({ orders: before.orders }).where('id', '=', before.id).execute();
  });

  it('re-keys chains written without the key, once, and leaves a broken one for verify-events', async () => {
    const old = await order();
    const broken = await order();
    // As written before the keyed chain: unkeyed hashes and no state digest.
    for (const o of [old, broken]) {
      await k().updateTable('ticket_events').set({ state_digest: null }).where('ticket_id', '=', o.id).execute();
      await rehashPlain(o.id);
    }
    await k()
      .updateTable('ticket_events')
      .set({ input: '{"forged":true}' })
      .where('ticket_id', '=', broken.id)
      .where('seq', '=', 1)
      .execute();
    const unkeyed = await t.app.services.chain.verify();
    expect(findingsOf(unkeyed, old.number)).toEqual(['written without the key and not re-keyed (run `gridvoice migrate`)']);

    const first = await t.app.services.chain.rekey();
    expect(first).toEqual({ orders: 1, events: 2, skipped: [`${broken.number}: event 1: unkeyed hash does not match`] });
    const again = await t.app.services.chain.rekey();
    expect(again.orders).toBe(0);
    const r = await t.app.services.chain.verify();
    expect(findingsOf(r, old.number)).toEqual([]);
    expect(findingsOf(r, broken.number)).toHaveLength(1);
    // The re-keyed order goes on like any other.
    const d = await act(t, handler, old.id, 'sign', { version: 2 });
    expect(d.statusCode, d.body).toBe(200);
    expect(findingsOf(await t.app.services.chain.verify(), old.number)).toEqual([]);
  });

  it('refuses to start with a secret key that does not belong to the database', async () => {
    const other = { ...t.config, secret: 'another-secret-another-secret-another-0' };
    const services = createServices(t.db, other, t.clock);
    const err = await prepare(t.db, services, other).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartupError);
    expect((err as Error).message).toMatch(/expects the key with fingerprint [0-9a-f]{12}…/);
    expect((err as Error).message).toContain('docs/operator-guide.md');
  });
});
