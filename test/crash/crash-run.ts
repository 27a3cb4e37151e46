/**
 * One crash round, shared by the crash test (short) and `npm run bench -- --only crash` (long): a real server
 * process takes intakes from several clients at full speed, is killed with SIGKILL mid-load, restarts, and
 * every number it acknowledged must exist once, with its event chain intact.
 */
import { complaintBodies, driveIntake, login } from '../../bench/lib/load.ts';
import { startServer } from '../../bench/lib/measure.ts';
import { connect } from '../../server/db/connect.ts';
import { EventChain, GENESIS_HASH } from '../../server/domain/event-chain.ts';
import { TicketRepository } from '../../server/repositories/ticket.repository.ts';

export interface CrashOutcome {
  acknowledged: number;
  /** Acknowledged numbers missing after the restart. */
  missing: string[];
  /** Numbers acknowledged twice, or stored on more than one order. */
  duplicates: string[];
  /** Orders whose event chain does not verify. */
  broken: Array<{ number: string; problem: string }>;
  ordersAfter: number;
  rejected: Record<string, number>;
}

/** Runs load for `loadMs`, kills the server, restarts it on the same database and checks what it acknowledged. */
export async function crashRound(
  env: Record<string, string>,
  opts: { clients: number; loadMs: number; password: string; minAcknowledged?: number },
): Promise<CrashOutcome> {
  const before = connect(env.DATABASE_URL as string);
  const maxBefore = await before.kysely
    .selectFrom('tickets')
    .select((eb) => eb.fn.max<number>('id').as('m'))
    .executeTakeFirst();
  await before.close();
  const sinceId = Number(maxBefore?.m ?? 0);
  const server = await startServer(env);
  const cookie = await login(server.url, 'agent', opts.password);
  const bodies = complaintBodies(200);
  let kill: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => {
    kill = resolve;
  });
  // Kill after loadMs, but never before minAcknowledged orders came back: a slow machine must still be mid-load.
  let acked = 0;
  let due = false;
  let wasKilled = false;
  const fire = () => {
    if (!due || acked < (opts.minAcknowledged ?? 0)) return;
    due = false;
    wasKilled = true;
    server.kill('SIGKILL');
    kill();
  };
  const timer = setTimeout(() => {
    due = true;
    fire();
  }, opts.loadMs);
  const load = await driveIntake(server.url, cookie, bodies, {
    concurrency: opts.clients,
    seconds: opts.loadMs / 1000 + 60,
    stop: killed,
    keepNumbers: true,
    onCreated: (n) => {
      acked = n;
      fire();
    },
  });
  clearTimeout(timer);
  if (!wasKilled) {
    // The load ended without the kill: the server never took minAcknowledged orders. Say why instead of waiting.
    server.kill('SIGKILL');
    await server.exited;
    throw new Error(`the load ended before the kill: ${load.ok} acknowledged, refused ${JSON.stringify(load.failed)}`);
  }
  await server.exited;

  // The restart must come up cleanly on what the killed process left behind (WAL recovery).
  const again = await startServer(env);
  again.kill('SIGTERM');
  await again.exited;

  const db = connect(env.DATABASE_URL as string);
  try {
    const repo = new TicketRepository(db.kysely);
    const chain = EventChain.fromSecret(env.GRIDVOICE_SECRET as string);
    // Only the orders this round created: a large bench database is checked by `verify-events` elsewhere.
    const stored = await db.kysely.selectFrom('tickets').selectAll().where('id', '>', sinceId).execute();
    const byNumber = new Map<string, number>();
    for (const t of stored) byNumber.set(t.number, (byNumber.get(t.number) ?? 0) + 1);
    const seen = new Set<string>();
    const duplicates: string[] = [];
    for (const n of load.numbers) {
      if (seen.has(n) || (byNumber.get(n) ?? 0) > 1) duplicates.push(n);
      seen.add(n);
    }
    const missing = load.numbers.filter((n) => !byNumber.has(n));
    const broken: CrashOutcome['broken'] = [];
    for (const t of stored) {
      const events = await repo.events(t.id);
      const problem = chain.verify(events, t);
      if (problem) broken.push({ number: t.number, problem: problem.problem });
      else if (events[0]?.prev_hash !== GENESIS_HASH) broken.push({ number: t.number, problem: 'chain does not start at genesis' });
    }
    return { acknowledged: load.numbers.length, missing, duplicates, broken, ordersAfter: stored.length, rejected: load.failed };
  } finally {
    await db.close();
  }
}
