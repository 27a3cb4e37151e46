import { describe, expect, it } from 'vitest';
import {
  AREA_TYPES,
  CHANNELS,
  classFamilyForKind,
  classFitsKind,
  classRoot,
  DEFAULT_CLASSES,
  GRADES,
  INVALID_REASONS,
  isCode,
  isExternalChannel,
  isIntegrityClass,
  isLeafClass,
  KINDS,
  kindPrefix,
  type Labelled,
  label,
  leafClasses,
  ORG_UNIT_KINDS,
  RESPONSIBILITY,
  RETURN_REASONS,
  REVISIT_OUTCOMES,
  ROLES,
  ROOT_CAUSES,
  ROOT_CAUSES_BY_CLASS,
  roleScope,
  rootCausesForClass,
  VERIFICATION_RESULTS,
} from './taxonomy.ts';

const LISTS: Record<string, readonly Labelled[]> = {
  KINDS,
  CHANNELS,
  GRADES,
  DEFAULT_CLASSES,
  ROOT_CAUSES,
  VERIFICATION_RESULTS,
  RETURN_REASONS,
  REVISIT_OUTCOMES,
  INVALID_REASONS,
  RESPONSIBILITY,
  ORG_UNIT_KINDS,
  AREA_TYPES,
  ROLES,
};

describe('reference lists', () => {
  it.each(Object.entries(LISTS))('%s: codes unique, zh and en labels present', (_name, list) => {
    const codes = list.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const e of list) {
      expect(e.code).toMatch(/^[a-z0-9_.]+$/);
      expect(e.zh.trim()).not.toBe('');
      expect(e.en.trim()).not.toBe('');
    }
  });

  it('has the five kinds with their number prefixes', () => {
    expect(KINDS.map((k) => [k.code, k.prefix])).toEqual([
      ['complaint', 'TS'],
      ['report', 'JB'],
      ['opinion', 'YJ'],
      ['suggestion', 'JY'],
      ['praise', 'BY'],
    ]);
    expect(kindPrefix('report')).toBe('JB');
    expect(label(KINDS, 'praise', 'zh')).toBe('表扬');
  });

  it('marks only the forwarded hotlines as external', () => {
    expect(CHANNELS.filter((c) => c.external).map((c) => c.code)).toEqual(['regulator_12398', 'gov_12345']);
    expect(isExternalChannel('gov_12345')).toBe(true);
    expect(isExternalChannel('phone')).toBe(false);
    expect(isExternalChannel('nonsense')).toBe(false);
  });

  it('alerts leaders for major and special grades only', () => {
    expect(GRADES.filter((g) => g.alertsLeaders).map((g) => g.code)).toEqual(['major', 'special']);
  });

  it('has the 13 root causes', () => {
    expect(ROOT_CAUSES).toHaveLength(13);
    expect(label(ROOT_CAUSES, 'weak_grid', 'zh')).toBe('网架薄弱');
    expect(label(ROOT_CAUSES, 'external', 'en')).toBe('External factors');
  });

  it('scopes roles', () => {
    expect(ROLES.filter((r) => r.scope === 'company').map((r) => r.code)).toEqual(['agent', 'reviewer', 'leader', 'discipline', 'analyst']);
    expect(roleScope('handler')).toBe('unit');
    expect(roleScope('unit_lead')).toBe('unit');
    expect(roleScope('admin')).toBe('none');
  });
});

describe('class tree', () => {
  it('every parent exists, is top-level and shares the family', () => {
    for (const c of DEFAULT_CLASSES) {
      if (c.parent === null) continue;
      const p = DEFAULT_CLASSES.find((x) => x.code === c.parent);
      expect(p, c.code).toBeDefined();
      expect(p?.parent).toBeNull();
      expect(p?.family).toBe(c.family);
      expect(c.code.startsWith(`${c.parent}.`)).toBe(true);
    }
  });

  it('has the complaint and report class families', () => {
    const top = DEFAULT_CLASSES.filter((c) => c.parent === null).map((c) => c.code);
    expect(top).toEqual([
      'service',
      'business',
      'outage',
      'quality',
      'construction',
      'integrity',
      'theft',
      'violation',
      'facility',
      'hazard',
      'other_report',
      'general',
    ]);
    const leaves = leafClasses().map((c) => c.code);
    expect(leaves).toHaveLength(15 + 4 + 5 + 1);
    expect(leaves).toContain('theft');
    expect(leaves).toContain('general');
    expect(leaves).not.toContain('outage');
    expect(isLeafClass('outage.repair')).toBe(true);
    expect(isLeafClass('integrity')).toBe(false);
    expect(isLeafClass('unknown')).toBe(false);
    expect(classRoot('business.billing')?.code).toBe('business');
    expect(classRoot('hazard')?.code).toBe('hazard');
  });

  it('detects integrity classes', () => {
    expect(isIntegrityClass('integrity')).toBe(true);
    expect(isIntegrityClass('integrity.bribery')).toBe(true);
    expect(isIntegrityClass('integrity.fees')).toBe(true);
    expect(isIntegrityClass('integrityx')).toBe(false);
    expect(isIntegrityClass('business.fees')).toBe(false);
    expect(isIntegrityClass('theft')).toBe(false);
    expect(isIntegrityClass(null)).toBe(false);
  });

  it('maps kinds to class families', () => {
    expect(classFamilyForKind('complaint')).toBe('complaint');
    expect(classFamilyForKind('report')).toBe('report');
    expect(classFamilyForKind('praise')).toBe('any');
    expect(classFitsKind('complaint', { family: 'report' })).toBe(false);
    expect(classFitsKind('opinion', { family: 'complaint' })).toBe(true);
  });
});

describe('helpers', () => {
  it('label falls back to the code; isCode narrows', () => {
    expect(label(CHANNELS, 'regulator_12398', 'zh')).toBe('12398能源监管热线转办');
    expect(label(CHANNELS, 'nope', 'en')).toBe('nope');
    expect(isCode(ROLES, 'agent')).toBe(true);
    expect(isCode(ROLES, 'root')).toBe(false);
    expect(isCode(ROLES, 42)).toBe(false);
  });
});

describe('root causes by class', () => {
  it('offers the causes that fit the top class of the order, and all of them without a fitting class', () => {
    expect(rootCausesForClass('business.billing')).toContain('billing_error');
    expect(rootCausesForClass('business.billing')).not.toContain('weak_grid');
    expect(rootCausesForClass('outage.repair')).toEqual([
      'weak_grid',
      'aging_equipment',
      'insufficient_capacity',
      'patrol_gaps',
      'repair_resources',
      'poor_notice',
      'customer_misunderstanding',
      'external',
    ]);
    expect(rootCausesForClass('general')).toHaveLength(ROOT_CAUSES.length);
    expect(rootCausesForClass(null)).toHaveLength(ROOT_CAUSES.length);
    // Every listed cause exists, and every top class of the default tree has its list.
    for (const list of Object.values(ROOT_CAUSES_BY_CLASS)) for (const c of list) expect(ROOT_CAUSES.map((r) => r.code)).toContain(c);
    for (const c of DEFAULT_CLASSES.filter((x) => x.parent === null && x.code !== 'general' && x.code !== 'other_report'))
      expect(Object.keys(ROOT_CAUSES_BY_CLASS)).toContain(c.code);
  });
});
