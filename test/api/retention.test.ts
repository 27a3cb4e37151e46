import { afterAll, beforeAll, expect, it } from 'vitest';
import { RetentionRepository } from '../../server/repositories/retention.repository.ts';
import { RetentionService } from '../../server/services/retention.service.ts';
import { intake, userId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

const DAY = 86_400_000;

describeEachDb('retention clean-up', (dialect) => {
  let t: TestApp;
  const clock = testClock('2026-11-02T02:00:00.000Z');
  const ago = (days: number) => new Date(clock().getTime() - days * DAY).toISOString();

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock });
  });
  afterAll(async () => t?.close());

  const count = async (table: 'outbox' | 'notifications' | 'idempotency_keys' | 'tickets' | 'ticket_events') =>
    Number(
      (
        await t.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('deletes delivered outbox rows, read notifications and idempotency keys past their days, nothing else', async () => {
    const agent = await t.login('agent');
    const res = await intake(t, agent);
    expect(res.statusCode, res.body).toBe(201);
    const ticketId = JSON.parse(res.body).ticket.id as number;
    const k = t.db.kysely;
    const user = await userId(t, 'agent');
    await k.deleteFrom('outbox').execute();
    await k.deleteFrom('notifications').execute();
    const outbox = (id: string, status: string, days: number) => ({
      delivery_id: id,
      channel: 'sms',
      recipient: '13800000000',
      template: 'received',
      body: '已受理',
      status,
      attempts: 1,
      next_attempt_at: ago(days),
      created_at: ago(days),
      updated_at: ago(days),
      sent_at: status === 'sent' ? ago(days) : null,
    });
    await k
      .insertInto('outbox')
      .values([
        outbox('old-sent', 'sent', 40),
        outbox('new-sent', 'sent', 10),
        outbox('old-pending', 'pending', 40),
        outbox('old-dead', 'dead', 40),
      ])
      .execute();
    const note = (text: string, created: number, read: number | null) => ({
      user_id: user,
      ticket_id: ticketId,
      kind: 'assigned',
      text,
      created_at: ago(created),
      read_at: read === null ? null : ago(read),
    });
    await k
      .insertInto('notifications')
      .values([note('old read', 120, 100), note('new read', 120, 30), note('old unread', 200, null)])
      .execute();
    const key = (k2: string, days: number) => ({ actor_key: 'u:1', key: k2, body_hash: 'x', ticket_id: ticketId, created_at: ago(days) });
    await k
      .insertInto('idempotency_keys')
      .values([key('old', 8), key('new', 1)])
      .execute();
    const orders = await count('tickets');
    const events = await count('ticket_events');

    const service = new RetentionService(new RetentionRepository(k), t.config.retention, clock);
    expect(t.config.retention).toEqual({ outboxDays: 30, notificationDays: 90, idempotencyDays: 7 });
    expect(await service.run()).toEqual({ outbox: 1, notifications: 1, idempotencyKeys: 1 });
    expect((await k.selectFrom('outbox').select('delivery_id').orderBy('delivery_id').execute()).map((r) => r.delivery_id)).toEqual([
      'new-sent',
      'old-dead',
      'old-pending',
    ]);
    expect((await k.selectFrom('notifications').select('text').orderBy('text').execute()).map((r) => r.text)).toEqual([
      'new read',
      'old unread',
    ]);
    expect((await k.selectFrom('idempotency_keys').select('key').where('actor_key', '=', 'u:1').execute()).map((r) => r.key)).toEqual([
      'new',
    ]);
    expect([await count('tickets'), await count('ticket_events')]).toEqual([orders, events]);
    // Idempotent, and 0 days keeps everything.
    expect(await service.run()).toEqual({ outbox: 0, notifications: 0, idempotencyKeys: 0 });
    const never = new RetentionService(new RetentionRepository(k), { outboxDays: 0, notificationDays: 0, idempotencyDays: 0 }, clock);
    clock.advance(1000 * DAY);
    expect(await never.run()).toEqual({ outbox: 0, notifications: 0, idempotencyKeys: 0 });
  });
});
