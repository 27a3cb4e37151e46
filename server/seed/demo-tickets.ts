import type { Channel, Kind, Role } from '../../core/taxonomy.ts';
import { createServices, type Services } from '../container.ts';
import { seededRng } from '../lib/rng.ts';
import { steppingClock, type TestableClock } from '../lib/stepping-clock.ts';
import type { Actor } from '../services/actor.ts';
import { DEMO_STATIONS } from './demo-org.ts';
import { demoPerson, demoText, pickClass, VILLAGES } from './demo-texts.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function pick<T>(rng: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  const total = weighted.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [v, w] of weighted) {
    r -= w;
    if (r <= 0) return v;
  }
  return (weighted.at(-1) as readonly [T, number])[0];
}

const KIND_WEIGHTS: ReadonlyArray<readonly [Kind, number]> = [
  ['complaint', 55],
  ['report', 12],
  ['opinion', 13],
  ['suggestion', 10],
  ['praise', 10],
];
const CHANNEL_WEIGHTS: ReadonlyArray<readonly [Channel, number]> = [
  ['phone', 58],
  ['mobile', 12],
  ['web', 8],
  ['wechat', 6],
  ['counter', 5],
  ['letter', 1],
  ['visit', 1],
  ['regulator_12398', 4],
  ['gov_12345', 5],
];
/** Relative order volume by month: summer outages and winter heating bills peak. */
const MONTH_WEIGHT = [1.3, 1.2, 0.8, 0.7, 0.8, 1.2, 1.6, 1.5, 0.9, 0.8, 0.9, 1.2];

/** Station staff the seeder adds so every 供电所 and department can work its orders. */
const EXTRA_STAFF: ReadonlyArray<{ username: string; displayName: string; unit: string; roles: Role[] }> = [
  ...DEMO_STATIONS.filter((s) => s.code !== 'SFX-CG').map((s) => ({
    username: `lead_${s.code.slice(4).toLowerCase()}`,
    displayName: `${s.name.slice(0, 2)}所长`,
    unit: s.code,
    roles: ['unit_lead'] as Role[],
  })),
  ...DEMO_STATIONS.filter((s) => s.code !== 'SFX-CG' && s.code !== 'SFX-DC').map((s) => ({
    username: `staff_${s.code.slice(4).toLowerCase()}`,
    displayName: `${s.name.slice(0, 2)}台区经理`,
    unit: s.code,
    roles: ['handler'] as Role[],
  })),
  { username: 'staff_yxb', displayName: '营销部专责', unit: 'SFX-YXB', roles: ['handler', 'unit_lead'] },
  { username: 'staff_yjb', displayName: '运检部专责', unit: 'SFX-YJB', roles: ['handler', 'unit_lead'] },
  { username: 'staff_jjjc', displayName: '纪检监察员', unit: 'SFX-JJJC', roles: ['handler', 'unit_lead'] },
];

/**
 * About two years of realistic orders for the demo organisation, driven through the same services as real
 * users (intake, dispatch, sign, contact, reply, review, call-back), on a clock stepped through history.
 * Orders whose next step would lie in the future stop there, so the recent ones are spread over every state.
 */
export async function seedDemoTickets(base: Services, opts: { now: Date; count?: number; seed?: number }): Promise<number> {
  const clock: TestableClock = steppingClock(opts.now);
  const s = createServices(base.db, base.config, clock);
  const rng = seededRng(opts.seed ?? 20261127);
  const units = new Map((await s.org.list()).map((u) => [u.code, u]));
  const password = `Demo-${Math.floor(rng() * 1e12).toString(36)}-staff`;
  for (const u of EXTRA_STAFF) {
    if (await s.repos.users.findByUsername(u.username)) continue;
    await s.users.create(null, { ...u, unitId: (units.get(u.unit) as { id: number }).id, password, mustChangePassword: true });
  }
  const agent = await s.auth.actorFor('agent');
  const reviewer = await s.auth.actorFor('reviewer');
  const leader = await s.auth.actorFor('leader');
  const stationStaff = new Map<string, { handler: Actor; lead: Actor }>();
  for (const st of DEMO_STATIONS) {
    const key = st.code.slice(4).toLowerCase();
    const handler = st.code === 'SFX-CG' ? 'handler' : st.code === 'SFX-DC' ? 'handler2' : `staff_${key}`;
    const lead = st.code === 'SFX-CG' ? 'unitlead' : `lead_${key}`;
    stationStaff.set(st.code, { handler: await s.auth.actorFor(handler), lead: await s.auth.actorFor(lead) });
  }
  for (const d of ['yxb', 'yjb', 'jjjc']) {
    const a = await s.auth.actorFor(`staff_${d}`);
    stationStaff.set(`SFX-${d.toUpperCase()}`, { handler: a, lead: a });
  }

  const count = opts.count ?? 1600;
  const end = opts.now.getTime();
  const start = end - 730 * DAY;
  const times: number[] = [];
  while (times.length < count) {
    const t = start + rng() * (end - start - HOUR);
    if (rng() * 1.6 < (MONTH_WEIGHT[new Date(t + 8 * HOUR).getUTCMonth()] as number)) times.push(t);
  }
  times.sort((a, b) => a - b);

  let created = 0;
  const callers: Array<{ station: string; at: number; person: ReturnType<typeof demoPerson>; classCode: string }> = [];
  for (const t0 of times) {
    const local = new Date(t0 + 8 * HOUR);
    // Calls come in working hours mostly: fold night times into 08:00–20:00 Shanghai.
    const hour = local.getUTCHours();
    const t = hour < 8 || hour >= 20 ? t0 - hour * HOUR + (8 + Math.floor(rng() * 12)) * HOUR : t0;
    const month = new Date(t + 8 * HOUR).getUTCMonth() + 1;
    const station = pick(
      rng,
      DEMO_STATIONS.map((st) => [st, st.customerCount] as const),
    );
    const rural = station.areaType === 'rural';
    const kind = pick(rng, KIND_WEIGHTS);
    const channel = kind === 'praise' || kind === 'suggestion' ? pick(rng, CHANNEL_WEIGHTS.slice(0, 5)) : pick(rng, CHANNEL_WEIGHTS);
    const classCode = pickClass(rng, kind, month, rural);
    const season = month >= 6 && month <= 8 ? 'summer' : month === 12 || month <= 2 ? 'winter' : 'other';
    let text = demoText(rng, kind, classCode, station.name, season);
    let person = demoPerson(rng);
    // Some customers call again about the same problem within weeks: those become repeat (and 督办) orders.
    const earlier = callers.find((x) => x.station === station.code && t - x.at < 25 * DAY);
    if (kind === 'complaint' && earlier && rng() < 0.12) {
      person = earlier.person;
      text = demoText(rng, kind, earlier.classCode, station.name, season);
    }
    const anonymous = kind === 'report' && rng() < 0.35;
    // A few customers call again about the same thing: reuse the previous caller now and then.
    clock.set(new Date(t));
    const villages = VILLAGES[station.name] ?? [];
    let r: Awaited<ReturnType<typeof s.intake.intake>>;
    try {
      r = await s.intake.intake(
        agent,
        {
          kind,
          channel,
          classCode: text.classCode,
          subject: text.subject,
          description: text.description,
          location: text.location || `${station.name.replace('供电所', '')}${villages[Math.floor(rng() * villages.length)] ?? ''}`,
          ...(kind === 'report'
            ? anonymous
              ? { anonymous: true }
              : { reporter: { name: person.name, phone: person.phone } }
            : { customer: { name: person.name, phone: person.phone, account: rng() < 0.7 ? person.account : null } }),
          ...(channel === 'regulator_12398' || channel === 'gov_12345'
            ? { externalRef: `${channel === 'gov_12345' ? '12345' : '12398'}-${Math.floor(rng() * 1e8)}` }
            : {}),
          grade: rng() < 0.03 ? 'important' : rng() < 0.005 ? 'major' : 'normal',
        },
        null,
      );
    } catch {
      continue;
    }
    created++;
    if (kind === 'complaint') callers.unshift({ station: station.code, at: t, person, classCode: text.classCode });
    callers.length = Math.min(callers.length, 40);
    const cls = text.classCode;
    const target = cls.startsWith('integrity') ? 'SFX-JJJC' : cls.startsWith('construction') && rng() < 0.5 ? 'SFX-YJB' : station.code;
    // The last three weeks's orders stop after a random number of steps, so every state is on screen.
    const recent = end - t < 21 * DAY;
    await lifecycle(s, clock, rng, r.ticket.id, r.ticket.version, end, recent ? Math.floor(rng() * 9) : Number.POSITIVE_INFINITY, {
      agent,
      reviewer,
      leader,
      staff: stationStaff.get(target) as { handler: Actor; lead: Actor },
      unitId: (units.get(target) as { id: number }).id,
      text,
      kind,
    });
  }
  clock.set(opts.now);
  await s.sweeper.runOnce();
  // The demo's two years of history are fiction: their customer messages are recorded but never delivered.
  await s.db.kysely
    .updateTable('outbox')
    .set({ status: 'skipped', last_error: 'demo history: not delivered', updated_at: opts.now.toISOString() })
    .where('status', '=', 'pending')
    .execute();
  await s.plannerStats.afterBulkLoad();
  return created;
}

interface Cast {
  agent: Actor;
  reviewer: Actor;
  leader: Actor;
  staff: { handler: Actor; lead: Actor };
  unitId: number;
  text: ReturnType<typeof demoText>;
  kind: Kind;
}

async function lifecycle(
  s: Services,
  clock: TestableClock,
  rng: () => number,
  id: number,
  version: number,
  end: number,
  budget: number,
  c: Cast,
): Promise<void> {
  let v = version;
  let state = 'pending_dispatch';
  let t = clock().getTime();
  let steps = budget;
  const step = async (delayMs: number, actor: Actor, action: string, input: Record<string, unknown> = {}): Promise<boolean> => {
    t += delayMs;
    if (t >= end || steps-- <= 0) return false;
    clock.set(new Date(t));
    const updated = await s.workflow.act(actor, id, action, { version: v, ...input });
    v = updated.version;
    state = updated.state;
    return true;
  };
  // A slow unit now and then: these become the warned and overdue orders.
  const slow = rng() < 0.12 ? 3 + rng() * 4 : 1;
  if (rng() < 0.03) {
    await step(0.3 * HOUR, c.agent, 'invalidate', { reason: 'duplicate_call' });
    return;
  }
  if (!(await step((0.1 + rng() * 1.5) * HOUR, c.agent, 'dispatch', { unitId: c.unitId }))) return;
  if (rng() < 0.06) {
    if (!(await step((1 + rng() * 5) * HOUR, c.staff.handler, 'return', { reason: 'wrong_unit', note: '非本所供区，请核实后重新派单' })))
      return;
    if (!(await step((0.5 + rng() * 2) * HOUR, c.agent, 'dispatch', { unitId: c.unitId }))) return;
  }
  if (!(await step((0.3 + rng() * 6) * HOUR * slow, c.staff.handler, 'sign'))) return;
  if (rng() < 0.05 && !(await step(2 * HOUR, c.agent, 'urge', { note: '客户来电催问处理进度' }))) return;
  if (!(await step((1 + rng() * 20) * HOUR * slow, c.staff.handler, 'contact', { note: '已电话联系客户，说明核查安排', method: 'phone' })))
    return;
  if (rng() < (Number.isFinite(budget) ? 0.3 : 0.04)) {
    const expected = new Date(t + 3 * DAY).toISOString();
    if (!(await step(2 * HOUR, c.staff.handler, 'request_suspend', { reason: '需等待线路改造停电计划', expectedResumeAt: expected })))
      return;
    if (!(await step(3 * HOUR, c.staff.lead, 'approve_suspend'))) return;
    if (!(await step((1 + rng() * 3) * DAY, c.staff.handler, 'resume'))) return;
  }
  const reply = {
    verification: c.text.verification,
    rootCause: c.text.rootCause || undefined,
    responsibility: c.text.responsibility,
    replyText: c.text.reply,
  };
  if (!(await step((0.5 + rng() * 3) * DAY * slow, c.staff.handler, 'reply', reply))) return;
  if (rng() < 0.15) {
    if (!(await step((2 + rng() * 20) * HOUR, c.reviewer, 'reject', { reason: '回复内容不完整，请补充整改措施和时间' }))) return;
    if (!(await step((0.3 + rng() * 1.5) * DAY, c.staff.handler, 'reply', reply))) return;
  }
  if (!(await step((1 + rng() * 20) * HOUR, c.reviewer, 'approve'))) return;
  const outcome =
    rng() < 0.08 && c.kind === 'complaint' ? 'dissatisfied' : rng() < 0.8 ? 'satisfied' : rng() < 0.85 ? 'basically' : 'unreachable';
  if (
    !(await step((2 + rng() * 22) * HOUR, c.agent, 'revisit', {
      outcome,
      note: outcome === 'dissatisfied' ? '客户对处理结果不满意，要求重新处理' : '客户认可处理结果',
    }))
  )
    return;
  if (outcome === 'unreachable') {
    while (state === 'pending_revisit')
      if (!(await step(4 * HOUR, c.agent, 'revisit', { outcome: 'unreachable', note: '电话无人接听' }))) return;
  }
  if (outcome === 'dissatisfied') {
    if (!(await step((0.5 + rng() * 5) * HOUR, c.staff.handler, 'sign'))) return;
    if (!(await step((2 + rng() * 10) * HOUR, c.staff.handler, 'contact', { note: '再次上门核实并与客户沟通', method: 'visit' }))) return;
    if (
      !(await step((1 + rng() * 2) * DAY, c.staff.handler, 'reply', {
        ...reply,
        replyText: `${c.text.reply}（重办：已再次上门处理并向客户当面说明。）`,
      }))
    )
      return;
    if (!(await step((2 + rng() * 10) * HOUR, c.reviewer, 'approve'))) return;
    await step((2 + rng() * 20) * HOUR, c.agent, 'revisit', { outcome: 'satisfied', note: '重办后客户满意' });
  }
}

export { seededRng };
