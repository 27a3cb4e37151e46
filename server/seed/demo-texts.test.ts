import { describe, expect, it } from 'vitest';
import { isCode, type Kind, leafClasses, RESPONSIBILITY, ROOT_CAUSES, VERIFICATION_RESULTS } from '../../core/taxonomy.ts';
import { CLASS_TEXTS, KIND_TEXTS } from './demo-texts.data.ts';
import { DEMO_STATIONS, demoPerson, demoText, pickClass, type Season, SLOT_NAMES, seasonOf, VILLAGES } from './demo-texts.ts';

/** mulberry32: a small seeded generator returning [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEASONS: Season[] = ['summer', 'winter', 'other'];
const STATIONS = DEMO_STATIONS.map((s) => s.name);
const SOFT_KINDS: Kind[] = ['opinion', 'suggestion', 'praise'];

function kindsFor(family: string): Kind[] {
  if (family === 'complaint') return ['complaint'];
  if (family === 'report') return ['report'];
  return SOFT_KINDS;
}

function checkText(t: ReturnType<typeof demoText>, kind: Kind): void {
  for (const s of [t.subject, t.description, t.location, t.reply]) {
    expect(s.length).toBeGreaterThan(0);
    expect(s).not.toMatch(/[{}]/);
  }
  expect([...t.subject].length).toBeLessThanOrEqual(30);
  expect(isCode(VERIFICATION_RESULTS, t.verification)).toBe(true);
  expect(isCode(RESPONSIBILITY, t.responsibility)).toBe(true);
  if (t.rootCause === '') expect(['suggestion', 'praise']).toContain(kind);
  else expect(isCode(ROOT_CAUSES, t.rootCause), t.rootCause).toBe(true);
  expect(t.location.startsWith('示范县') || t.location.endsWith('营业厅')).toBe(true);
}

describe('demoText', () => {
  it('is deterministic for a fixed seed', () => {
    const a = demoText(seeded(7), 'complaint', 'outage.repair', '西湖供电所', 'summer');
    const b = demoText(seeded(7), 'complaint', 'outage.repair', '西湖供电所', 'summer');
    expect(a).toEqual(b);
    const c = demoText(seeded(8), 'complaint', 'outage.repair', '西湖供电所', 'summer');
    expect(c).not.toEqual(a);
  });

  it('produces a valid text for every leaf class, kind, season and station', () => {
    const rng = seeded(42);
    for (const cls of leafClasses()) {
      for (const kind of kindsFor(cls.family)) {
        const subjects = new Set<string>();
        for (const season of SEASONS) {
          for (const station of STATIONS) {
            for (let i = 0; i < 4; i++) {
              const t = demoText(rng, kind, cls.code, station, season);
              expect(t.classCode).toBe(cls.code);
              checkText(t, kind);
              subjects.add(t.subject.replace(/[^\u4e00-\u9fff]/g, ''));
            }
          }
        }
        // Varied: several templates per class.
        expect(subjects.size, `${kind}/${cls.code}`).toBeGreaterThanOrEqual(4);
      }
    }
  });

  it('has at least 4 templates and several outcomes for every leaf, using known slots only', () => {
    for (const cls of leafClasses()) {
      const groups =
        cls.family === 'general'
          ? SOFT_KINDS.map((k) => KIND_TEXTS[k as 'opinion' | 'suggestion' | 'praise'].general)
          : [CLASS_TEXTS[cls.code]];
      for (const g of groups) {
        expect(g, cls.code).toBeDefined();
        expect(g?.templates.length, cls.code).toBeGreaterThanOrEqual(4);
        const outcomes = new Set(g?.templates.flatMap((t) => t.outcomes ?? g.outcomes));
        expect(outcomes.size, cls.code).toBeGreaterThanOrEqual(cls.family === 'general' ? 1 : 2);
      }
    }
    const all = [...Object.values(CLASS_TEXTS), ...Object.values(KIND_TEXTS).flatMap((m) => Object.values(m))];
    const known = new Set<string>(SLOT_NAMES);
    for (const g of all) {
      expect(g.templates.length).toBeGreaterThanOrEqual(2);
      for (const t of g.templates) {
        expect((t.outcomes ?? g.outcomes).length).toBeGreaterThan(0);
        const strings = [t.subject, t.text, t.location ?? '', ...(t.outcomes ?? []).map((o) => o.reply)];
        for (const str of strings) for (const [, name] of str.matchAll(/\{(\w+)\}/g)) expect(known.has(name as string), name).toBe(true);
      }
      for (const o of g.outcomes) for (const [, name] of o.reply.matchAll(/\{(\w+)\}/g)) expect(known.has(name as string), name).toBe(true);
    }
  });

  it('offers both substantiated and other verdicts for every complaint and report leaf', () => {
    const rng = seeded(3);
    for (const cls of leafClasses().filter((c) => c.family !== 'general')) {
      const kind: Kind = cls.family === 'report' ? 'report' : 'complaint';
      const verdicts = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const t = demoText(rng, kind, cls.code, STATIONS[i % STATIONS.length] as string, SEASONS[i % 3] as Season);
        verdicts.add(t.verification);
      }
      expect(verdicts.size, cls.code).toBeGreaterThanOrEqual(2);
    }
  });

  it('resolves a family code to one of its leaves', () => {
    const t = demoText(seeded(1), 'complaint', 'outage', '城关供电所', 'other');
    expect(t.classCode.startsWith('outage.')).toBe(true);
    const r = demoText(seeded(1), 'report', 'integrity', '河口供电所', 'other');
    expect(r.classCode.startsWith('integrity.')).toBe(true);
  });

  it('falls back to general for soft kinds and rejects unknown classes', () => {
    expect(demoText(seeded(1), 'praise', 'business.fees', '城关供电所', 'other').classCode).toBe('general');
    expect(() => demoText(seeded(1), 'complaint', 'nope', '城关供电所', 'other')).toThrow(/nope/);
  });

  it('uses the station villages in the location, and copes with unknown stations', () => {
    const rng = seeded(5);
    for (const station of STATIONS) {
      const t = demoText(rng, 'complaint', 'business.billing', station, 'winter');
      if (!t.location.endsWith('营业厅')) {
        expect(VILLAGES[station]?.some((v) => t.location.includes(v))).toBe(true);
      }
    }
    checkText(demoText(rng, 'complaint', 'quality.voltage', '新建供电所', 'summer'), 'complaint');
  });

  it('praise thanks a person and has no root cause', () => {
    const rng = seeded(11);
    for (let i = 0; i < 30; i++) {
      const t = demoText(rng, 'praise', 'general', '南山供电所', 'other');
      expect(t.rootCause).toBe('');
      expect(t.responsibility).toBe('none');
      expect(t.reply).toMatch(/感谢/);
    }
  });
});

describe('demoPerson', () => {
  it('makes valid fictional customers', () => {
    const rng = seeded(99);
    const names = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = demoPerson(rng);
      expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(p.phone).toMatch(/^(139|138|135|186|150)\d{8}$/);
      expect(p.account).toMatch(/^[1-9]\d{9}$/);
      expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      names.add(p.name);
    }
    expect(names.size).toBeGreaterThan(300);
    expect(demoPerson(seeded(1))).toEqual(demoPerson(seeded(1)));
  });
});

describe('pickClass', () => {
  const N = 5000;
  function shares(kind: Kind, month: number, rural: boolean, seed: number): Map<string, number> {
    const rng = seeded(seed);
    const m = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const c = pickClass(rng, kind, month, rural);
      m.set(c, (m.get(c) ?? 0) + 1);
    }
    for (const [k, v] of m) m.set(k, v / N);
    return m;
  }
  const sum = (m: Map<string, number>, pred: (c: string) => boolean) => [...m].filter(([c]) => pred(c)).reduce((s, [, v]) => s + v, 0);

  it('returns leaf classes that fit the kind and have texts', () => {
    const leaves = new Map(leafClasses().map((c) => [c.code, c]));
    const rng = seeded(2);
    for (const kind of ['complaint', 'report', 'opinion', 'suggestion', 'praise'] as Kind[]) {
      for (let month = 1; month <= 12; month++) {
        for (const rural of [true, false]) {
          const code = pickClass(rng, kind, month, rural);
          const cls = leaves.get(code);
          expect(cls, code).toBeDefined();
          if (kind === 'complaint') expect(cls?.family).toBe('complaint');
          if (kind === 'report') expect(cls?.family).toBe('report');
          expect(demoText(rng, kind, code, '西湖供电所', seasonOf(month)).classCode).toBe(code);
        }
      }
    }
  });

  it('peaks outage and voltage complaints in summer, billing in winter', () => {
    const isOutage = (c: string) => c.startsWith('outage.');
    const summer = shares('complaint', 7, false, 1);
    const winter = shares('complaint', 1, false, 2);
    const spring = shares('complaint', 4, false, 3);
    expect(sum(summer, isOutage)).toBeGreaterThan(1.5 * sum(spring, isOutage));
    expect(sum(summer, isOutage)).toBeGreaterThan(1.5 * sum(winter, isOutage));
    expect(summer.get('quality.voltage') ?? 0).toBeGreaterThan(1.5 * (spring.get('quality.voltage') ?? 0));
    expect(winter.get('business.billing') ?? 0).toBeGreaterThan(1.4 * (summer.get('business.billing') ?? 0));
    // Billing and repair are the two most common classes outside the peaks.
    const top2 = [...spring]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([c]) => c);
    expect(top2.sort()).toEqual(['business.billing', 'outage.repair']);
  });

  it('sees more voltage and outage complaints in rural areas', () => {
    const urban = shares('complaint', 4, false, 4);
    const rural = shares('complaint', 4, true, 5);
    expect(rural.get('quality.voltage') ?? 0).toBeGreaterThan(1.5 * (urban.get('quality.voltage') ?? 0));
    const isOutage = (c: string) => c.startsWith('outage.');
    expect(sum(rural, isOutage)).toBeGreaterThan(sum(urban, isOutage));
  });

  it('draws reports mostly from theft, violation and hazards, with some integrity', () => {
    const m = shares('report', 10, true, 6);
    expect(sum(m, (c) => c === 'theft' || c === 'violation' || c === 'hazard')).toBeGreaterThan(0.55);
    const integrity = sum(m, (c) => c.startsWith('integrity.'));
    expect(integrity).toBeGreaterThan(0.08);
    expect(integrity).toBeLessThan(0.3);
  });

  it('draws soft kinds mostly from general', () => {
    const m = shares('suggestion', 5, false, 7);
    expect(m.get('general') ?? 0).toBeGreaterThan(0.35);
  });
});
