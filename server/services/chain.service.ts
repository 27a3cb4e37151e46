import type { Kysely } from 'kysely';
import type { Database, TicketEvent } from '../db/schema.ts';
import { withAdvisoryLock } from '../db/sql/advisory-lock.ts';
import type { Dialect } from '../db/sql/index.ts';
import { CheckpointBuilder, checkpointPayload, decodeHeads, type Head } from '../domain/chain-checkpoint.ts';
import { type EventChain, planReseal } from '../domain/event-chain.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { ChainRepository } from '../repositories/chain.repository.ts';

/** One finding of a chain check, named by order number (or `checkpoint #n`). */
export interface ChainFinding {
  number: string;
  seq: number;
  problem: string;
}

export interface ChainReport {
  checked: number;
  broken: ChainFinding[];
  /** The latest checkpoint the orders were compared with. */
  checkpoint: { id: number; at: string; orders: number; events: number } | null;
}

const PAGE = 500;
/** Checkpoints that keep their heads list; older ones keep their figures and signature only. */
const KEEP_HEADS = 3;

function byOrder(events: TicketEvent[]): Map<number, TicketEvent[]> {
  const m = new Map<number, TicketEvent[]>();
  for (const e of events) {
    const list = m.get(e.ticket_id);
    if (list) list.push(e);
    else m.set(e.ticket_id, [e]);
  }
  return m;
}

/**
 * The keyed event chain as a whole: verification of every order (the `verify-events` command), signed
 * checkpoints of all chain heads (a periodic job and `gridvoice checkpoint`), and the re-keying of events
 * written without the key.
 */
export class ChainService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly repo: ChainRepository,
    private readonly chain: EventChain,
    private readonly clock: Clock,
    private readonly intervalMinutes: number,
  ) {}

  /** Checkpoints and their signatures; findings for any signature that does not match its chain. */
  private async signedCheckpoints() {
    const all = await this.repo.checkpoints();
    const findings: ChainFinding[] = [];
    let previous: string | null = null;
    for (const c of all) {
      if (this.chain.sign(checkpointPayload(c, previous)) !== c.signature)
        findings.push({ number: `checkpoint #${c.id}`, seq: 0, problem: 'signature does not match (a checkpoint was edited or removed)' });
      previous = c.signature;
    }
    const latest = all.at(-1) ?? null;
    const text = latest ? await this.repo.checkpointHeads(latest.id) : null;
    if (latest && text === null) findings.push({ number: `checkpoint #${latest.id}`, seq: 0, problem: 'its list of heads is missing' });
    return { latest, heads: text ? decodeHeads(text) : [], findings };
  }

  /** Verifies every order's chain and row, and compares the orders with the latest signed checkpoint. */
  async verify(): Promise<ChainReport> {
    const { latest, heads, findings: broken } = await this.signedCheckpoints();
    const recorded = new Map<number, Head>(heads.map((h) => [h.id, h]));
    const cp = latest ? `checkpoint #${latest.id} (${latest.at})` : '';
    // The hash each recorded head has now (null: the event is gone); recomputes the checkpoint's root.
    const hashNow = new Map<number, string | null>();
    let after = 0;
    let checked = 0;
    for (;;) {
      const page = await this.repo.orders(after, PAGE);
      if (page.length === 0) break;
      const events = byOrder(await this.repo.events(page.map((t) => t.id)));
      for (const t of page) {
        const list = events.get(t.id) ?? [];
        const problem = this.chain.verify(list, t);
        if (problem) broken.push({ number: t.number, ...problem });
        const h = recorded.get(t.id);
        if (h) {
          hashNow.set(t.id, list.find((e) => e.seq === h.seq)?.hash ?? null);
          if (h.number !== t.number)
            broken.push({ number: h.number, seq: 0, problem: `${cp} recorded this number for order id ${t.id}, now ${t.number}` });
          else if (list.length < h.seq)
            broken.push({
              number: t.number,
              seq: list.length,
              problem: `truncated: ${cp} recorded ${h.seq} events, ${list.length} remain`,
            });
        }
        checked++;
        after = t.id;
      }
    }
    if (latest && heads.length > 0) {
      const b = new CheckpointBuilder();
      for (const h of heads) {
        if (!hashNow.has(h.id))
          broken.push({ number: h.number, seq: h.seq, problem: `order deleted: ${cp} recorded it with ${h.seq} events` });
        b.add(h, hashNow.get(h.id) ?? null);
      }
      const f = b.finish();
      if (f.headsDigest !== latest.heads_digest || f.orders !== latest.orders)
        broken.push({ number: `checkpoint #${latest.id}`, seq: 0, problem: 'its list of heads was edited' });
      else if (f.root !== latest.root && broken.length === 0)
        broken.push({ number: `checkpoint #${latest.id}`, seq: 0, problem: 'root differs: an event it recorded was replaced' });
    }
    const checkpoint = latest ? { id: latest.id, at: latest.at, orders: latest.orders, events: Number(latest.events) } : null;
    return { checked, broken, checkpoint };
  }

  /**
   * Writes a signed checkpoint of every chain head, unless an order the previous checkpoint recorded is gone or
   * shorter (then the findings are returned and nothing is written, so the evidence is not covered over).
   * Heads are read page by page without a long transaction: chains only grow, so each head read is one the
   * chain must keep for ever, whenever it was read.
   */
  async checkpoint(): Promise<{ id: number; orders: number; events: number; root: string } | { refused: ChainFinding[] }> {
    // One writer at a time across nodes and the CLI: each checkpoint is signed over the one before it.
    const r = await withAdvisoryLock(this.db, this.dialect, 'chain checkpoint write', () => this.writeCheckpoint());
    return r.ran ? r.value : { refused: [{ number: 'checkpoint', seq: 0, problem: 'another process is writing a checkpoint now' }] };
  }

  private async writeCheckpoint(): Promise<{ id: number; orders: number; events: number; root: string } | { refused: ChainFinding[] }> {
    const { latest, heads, findings } = await this.signedCheckpoints();
    const previous = new Map<number, Head>(heads.map((h) => [h.id, h]));
    const b = new CheckpointBuilder();
    let after = 0;
    for (;;) {
      const page = await this.repo.heads(after, 5000);
      if (page.length === 0) break;
      for (const t of page) {
        const p = previous.get(t.id);
        if (p) {
          previous.delete(t.id);
          if (t.version < p.seq || t.number !== p.number)
            findings.push({
              number: p.number,
              seq: t.version,
              problem: `checkpoint #${latest?.id} recorded ${p.seq} events, now ${t.version}`,
            });
        }
        b.add({ id: t.id, seq: t.version, number: t.number }, t.last_event_hash);
        after = t.id;
      }
    }
    for (const p of previous.values())
      findings.push({ number: p.number, seq: p.seq, problem: `order deleted: checkpoint #${latest?.id} recorded it with ${p.seq} events` });
    if (findings.length > 0) return { refused: findings };
    const f = b.finish();
    const row = { at: iso(this.clock()), orders: f.orders, events: f.events, root: f.root, heads: f.heads, heads_digest: f.headsDigest };
    const signature = this.chain.sign(checkpointPayload(row, latest?.signature ?? null));
    const id = await this.repo.insertCheckpoint({ ...row, signature }, KEEP_HEADS);
    return { id, orders: f.orders, events: f.events, root: f.root };
  }

  /** The periodic job: re-keys what needs it, then checkpoints when the interval has passed since the last one. */
  async runIfDue(): Promise<unknown> {
    if (this.intervalMinutes <= 0) return null;
    await this.rekey();
    const last = (await this.repo.checkpoints()).at(-1);
    if (last && Date.parse(last.at) + this.intervalMinutes * 60_000 > this.clock().getTime()) return null;
    const r = await this.checkpoint();
    if ('refused' in r) throw new Error(`chain checkpoint refused: ${r.refused.map((f) => `${f.number}: ${f.problem}`).join('; ')}`);
    return r;
  }

  /**
   * Re-keys every order with events written without the key (idempotent: a re-keyed event has a digest).
   * One transaction per order, the order row locked, so two nodes doing it at once do it once. Chains that do
   * not verify unkeyed are left as they are, for `verify-events` to report.
   */
  async rekey(): Promise<{ orders: number; events: number; skipped: string[] }> {
    const r = { orders: 0, events: 0, skipped: [] as string[] };
    let after = 0;
    for (;;) {
      const ids = await this.repo.unsealed(after, PAGE);
      if (ids.length === 0) return r;
      for (const id of ids) {
        after = id;
        await this.db.transaction().execute(async (trx) => {
          const t = await this.repo.lockOrder(id, trx);
          if (!t) return;
          const plan = planReseal(this.chain, await this.repo.events([id], trx), t);
          if ('problem' in plan) {
            r.skipped.push(`${t.number}: ${plan.problem}`);
            return;
          }
          if (plan.reseal.length === 0) return;
          for (const { id: eventId, ...set } of plan.reseal) await this.repo.resealEvent(eventId, set, trx);
          await this.repo.setHead(id, plan.head, trx);
          r.orders++;
          r.events += plan.reseal.length;
        });
      }
    }
  }
}
