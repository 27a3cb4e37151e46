import { describe, expect, it } from 'vitest';
import {
  ADMIN_WORD_FACTOR,
  buildLexicon,
  editedWords,
  historyWeight,
  MIN_TRAINING_DOCS,
  suggestClasses,
  suggestKinds,
} from './classify.ts';
import { parseCorpus, splitOf } from './corpus.ts';
import { linearEvidence, linearFeatures, linearLogits, trainLinear } from './linear.ts';
import { shippedModels } from './shipped-model.ts';

describe('parseCorpus', () => {
  it('reads sections and lines, taking the split from the writer and a kind override from the voice', () => {
    const texts = parseCorpus(
      '# comment\n= hazard report\nw1 caller 高压线下钓鱼\nd2 portal:opinion 停电通知太晚\nt3 agent 塔吊靠近导线\n',
    );
    expect(texts.map((t) => [t.writer, t.split, t.kind, t.classCode, t.voice])).toEqual([
      ['w1', 'train', 'report', 'hazard', 'caller'],
      ['d2', 'dev', 'opinion', 'hazard', 'portal'],
      ['t3', 'test', 'report', 'hazard', 'agent'],
    ]);
    expect(splitOf('legacy')).toBe('train');
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseCorpus('= hazard report\nw1 shouter 喊')).toThrow(/corpus:2: unknown voice/);
    expect(() => parseCorpus('w1 caller 文本')).toThrow(/corpus:1: text before/);
    expect(() => parseCorpus('= hazard nope\n')).toThrow(/corpus:1/);
  });
});

describe('the linear model', () => {
  it('uses words and character bigrams and trigrams as features', () => {
    const f = linearFeatures('和面机坏了');
    expect(f).toEqual(expect.arrayContaining(['~和面', '~面机', '~和面机']));
  });

  it('learns separable labels and names the words that drove a label', () => {
    const docs = [
      ...Array.from({ length: 10 }, (_, i) => ({ features: linearFeatures(`电压太低灯很暗${i}`), label: 'voltage' })),
      ...Array.from({ length: 10 }, (_, i) => ({ features: linearFeatures(`抢修人员迟迟不到${i}`), label: 'repair' })),
    ];
    const m = trainLinear(docs, { epochs: 10, rate: 2 });
    const s = linearLogits(m, linearFeatures('晚上电压低'));
    expect(s.logits.get('voltage')).toBeGreaterThan(s.logits.get('repair') as number);
    expect(linearEvidence(m, s, 'voltage', ['repair'])).toContain('电压');
  });

  it('trains the same model twice from the same texts (seeded)', () => {
    const docs = [
      { features: ['a', 'b'], label: 'x' },
      { features: ['c'], label: 'y' },
    ];
    expect([...trainLinear(docs).weights]).toEqual([...trainLinear(docs).weights]);
  });
});

describe('suggestion with the shipped models', () => {
  const { classes, kinds } = shippedModels();
  const lexicon = buildLexicon();
  const COMPLAINTS = ['business.connection', 'business.change', 'business.fees', 'outage.repair'];

  it('tells a 过户 (service change) from a new connection and names the words behind it', () => {
    const r = suggestClasses({
      text: '房子买了想把电表户名过户到我名下，跑了三趟还没办好',
      kind: 'complaint',
      candidates: COMPLAINTS,
      lexicon,
      shipped: classes,
    });
    expect(r[0]?.code).toBe('business.change');
    expect(r[0]?.words.join(' ')).toMatch(/过户|户名/);
  });

  it('lets an admin’s own word overrule the shipped model', () => {
    const text = '报装的时候收了我五百块表箱费';
    const edits = [{ classCode: 'business.connection', word: '表箱费', weight: 5 }];
    const before = suggestClasses({ text, kind: 'complaint', candidates: COMPLAINTS, lexicon, shipped: classes });
    expect(before[0]?.code).toBe('business.fees');
    const after = suggestClasses({
      text,
      kind: 'complaint',
      candidates: COMPLAINTS,
      lexicon: buildLexicon(edits),
      edited: editedWords(edits),
      shipped: classes,
    });
    expect(ADMIN_WORD_FACTOR).toBeGreaterThan(1);
    expect(after[0]?.code).toBe('business.connection');
    expect(after[0]?.words[0]).toBe('表箱费');
  });

  it('weighs the company’s history by how many closed orders it has', () => {
    expect(historyWeight(MIN_TRAINING_DOCS - 1)).toBe(0);
    expect(historyWeight(100)).toBeLessThan(historyWeight(1000));
  });

  it('suggests the kind: a report arriving as a call, praise, a suggestion', () => {
    expect(suggestKinds('我要举报隔壁饭店从电表前面私接电线偷电', kinds)[0]?.code).toBe('report');
    expect(suggestKinds('特别感谢抢修的师傅，半夜冒雨把电修好了，给你们点赞', kinds)[0]).toMatchObject({ code: 'praise' });
    expect(suggestKinds('建议营业厅周末也开门，上班族平时没时间', kinds)[0]?.code).toBe('suggestion');
    expect(suggestKinds('', kinds)).toEqual([]);
  });
});
