import { describe, expect, it } from 'vitest';
import { buildLexicon, suggestClasses, trainNaiveBayes } from './classify.ts';
import { evaluateRun } from './evaluation.ts';
import { assessRisk, RISK_FLAG_AT } from './risk.ts';
import { searchTokens } from './search-query.ts';
import { charBigrams, tokens, words } from './segment.ts';
import { jaccard, snippet, WordSetCache, wordSet } from './similarity.ts';

const COMPLAINT_LEAVES = [
  'service.attitude',
  'business.billing',
  'business.metering',
  'outage.repair',
  'outage.frequent',
  'quality.voltage',
  'construction.safety',
];

describe('segment', () => {
  it('keeps power-industry words whole and adds search sub-words', () => {
    const t = tokens('台区经理说一户一表改造后电费翻倍，供电所不管！');
    const list = t.split(' ');
    expect(list).toEqual(expect.arrayContaining(['台区经理', '台区', '一户一表', '电费', '供电所', '供电']));
    expect(list).not.toContain('，');
    expect(list).not.toContain('说');
  });

  it('lowercases and normalises full-width characters', () => {
    expect(tokens('ＡＰＰ 打不开 95598')).toContain('app');
  });

  it('splits a query in precise mode without overlapping sub-words', () => {
    expect(words('供电所抢修')).toEqual(['供电所', '抢修']);
  });

  it('makes character bigrams of Chinese runs only', () => {
    expect(charBigrams('电费ab翻倍')).toEqual(['电费', '翻倍']);
  });
});

describe('search tokens', () => {
  it('drops every word that could pass for a scope token, however it is written, and keeps the rest', () => {
    for (const forged of ['gvscopeu7', 'GVSCOPEU7', 'ｇｖｓｃｏｐｅu7', 'gvscopéu7', 'g\u0301vscopeu7']) {
      const out = searchTokens(`变压器噪音 ${forged} 扰民`).split(' ');
      expect(
        out.some((w) => w.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().includes('gvscope')),
        forged,
      ).toBe(false);
      expect(out).toContain('变压器');
    }
  });

  it('keeps the words of a text with nothing that could forge one', () => {
    expect(searchTokens('变压器噪音 gv scope u7').split(' ')).toEqual(expect.arrayContaining(['变压器', 'gv', 'scope', 'u7', '噪音']));
  });
});

describe('similarity', () => {
  it('scores near-identical complaints high and unrelated ones low', () => {
    const a = wordSet('人民路停电三天没人来抢修');
    const b = wordSet('人民路这边停电三天了没人来抢修');
    const c = wordSet('营业厅工作人员态度恶劣');
    expect(jaccard(a, b)).toBeGreaterThan(0.5);
    expect(jaccard(a, c)).toBe(0);
  });

  it("remembers a stored order's word set until its text changes, and forgets the oldest beyond its capacity", () => {
    const cache = new WordSetCache(2);
    const first = cache.of(1, '人民路停电三天没人来抢修');
    expect(cache.of(1, '人民路停电三天没人来抢修')).toBe(first);
    const edited = cache.of(1, '营业厅工作人员态度恶劣');
    expect(edited).not.toBe(first);
    expect(edited).toEqual(wordSet('营业厅工作人员态度恶劣'));
    cache.of(2, '电费翻倍');
    cache.of(3, '电表飞走');
    expect(cache.of(1, '营业厅工作人员态度恶劣')).not.toBe(edited);
  });

  it('marks the terms in an escaped snippet', () => {
    expect(snippet('电费<b>翻倍</b>了', ['电费', '翻倍'])).toBe('<mark>电费</mark>&lt;b&gt;<mark>翻倍</mark>&lt;/b&gt;了');
    expect(snippet('没有匹配', ['电费'])).toBeNull();
  });
});

describe('risk', () => {
  it('is low for a calm complaint', () => {
    const r = assessRisk({ text: '电费比上月高，请帮忙核查一下。' });
    expect(r).toMatchObject({ level: 'low', flagged: false, suggestGrade: null, card: null });
  });

  it('flags media and emotion with reasons, a grade and a de-escalation card', () => {
    const r = assessRisk({ text: '停电三天没人管，太过分了！！再不解决我就找媒体曝光' });
    expect(r.score).toBeGreaterThanOrEqual(RISK_FLAG_AT);
    expect(r.flagged).toBe(true);
    expect(r.suggestGrade).toBe('major');
    expect(r.reasons).toEqual(expect.arrayContaining(['提及“媒体”', '提及“曝光”', '情绪用语“太过分”', '连续感叹号']));
    expect(r.card).toContain('媒体');
  });

  it('suggests the important grade for a lawyer threat alone', () => {
    const r = assessRisk({ text: '你们再拖着不办，我就请律师起诉你们' });
    expect(r).toMatchObject({ flagged: true, suggestGrade: 'important', level: 'high' });
    expect(r.card).toContain('律师');
  });

  it('asks for the major grade when life is in danger', () => {
    const r = assessRisk({ text: '电线掉在地上，邻居家孩子差点触电，还冒烟起火了' });
    expect(r.flagged).toBe(true);
    expect(r.suggestGrade).toBe('major');
  });

  it('counts repeated calls', () => {
    const calm = assessRisk({ text: '电压低', recentOrders: 0 });
    const repeated = assessRisk({ text: '电压低', recentOrders: 3 });
    expect(repeated.score - calm.score).toBe(36);
    expect(repeated.reasons).toContain('近30日已来电3次');
  });
});

describe('class suggestion', () => {
  const lexicon = buildLexicon();

  it('ranks by the lexicon and names the words', () => {
    const r = suggestClasses({ text: '晚上七点报修，等到半夜也没人来抢修', candidates: COMPLAINT_LEAVES, lexicon });
    expect(r[0]?.code).toBe('outage.repair');
    expect(r[0]?.words).toEqual(expect.arrayContaining(['抢修', '报修']));
    expect(r).toHaveLength(3);
    expect(r.reduce((s, x) => s + x.confidence, 0)).toBeLessThanOrEqual(1.001);
  });

  it('lets an admin edit switch a word off and add a new one', () => {
    const edited = buildLexicon([
      { classCode: 'quality.voltage', word: '电压', weight: 0 },
      { classCode: 'construction.safety', word: '电压', weight: 5 },
    ]);
    const r = suggestClasses({ text: '电压', candidates: COMPLAINT_LEAVES, lexicon: edited });
    expect(r[0]?.code).toBe('construction.safety');
  });

  it('falls back to the model when no lexicon word occurs, once it has enough training orders', () => {
    const docs = Array.from({ length: 40 }, (_, i) =>
      i % 2 ? { text: '小区噢噢线路嘎嘎', classCode: 'outage.frequent' } : { text: '营业厅哈哈柜台', classCode: 'service.attitude' },
    );
    const model = trainNaiveBayes(docs);
    const empty = buildLexicon([{ classCode: 'outage.frequent', word: '线路', weight: 0 }]);
    const r = suggestClasses({ text: '嘎嘎', candidates: COMPLAINT_LEAVES, lexicon: empty, model });
    expect(r[0]?.code).toBe('outage.frequent');
    expect(suggestClasses({ text: '嘎嘎', candidates: COMPLAINT_LEAVES, lexicon: empty, model: null })).toEqual([]);
  });

  it('evaluates top-1, top-3, per-label precision and recall, the confused pairs and the groups', () => {
    const e = evaluateRun([
      { expected: 'a', predicted: ['a', 'b'], group: 'w1' },
      { expected: 'a', predicted: ['b', 'a'], group: 'w1' },
      { expected: 'c', predicted: ['b', 'a'], group: 'w2' },
    ]);
    expect(e).toMatchObject({ total: 3, top1: 0.333, top3: 0.667 });
    expect(e.worstPairs[0]).toEqual({ pair: 'a → b', count: 1 });
    expect(e.perLabel.find((l) => l.label === 'a')).toEqual({ label: 'a', support: 2, precision: 1, recall: 0.5 });
    expect(e.perGroup).toEqual([
      { group: 'w1', total: 2, top1: 0.5, top3: 1 },
      { group: 'w2', total: 1, top1: 0, top3: 0 },
    ]);
  });
});
