import { describe, expect, it } from 'vitest';
import { identifierOf, matchSequences, parseQuery, searchTokens, synonymIndex } from './search-query.ts';

const texts = (q: string) => parseQuery(q).all.map((t) => t.text);

describe('parseQuery', () => {
  it('segments unspaced Chinese into words, all required', () => {
    expect(texts('台区经理变压器')).toEqual(['台区经理', '变压器']);
    expect(texts('抢修 电费')).toEqual(['抢修', '电费']);
  });

  it('ignores a space inside a word (电 费, 供电 所) but not one between words', () => {
    expect(texts('电 费')).toEqual(['电费']);
    expect(texts('停 电 三 天')).toEqual(['停电', '三天']);
    expect(texts('供电 所')).toEqual(['供电所']);
  });

  it('joins characters jieba leaves single, and a lone one to the word beside it', () => {
    expect(texts('面机')).toEqual(['面机']);
    expect(texts('西湖村')).toEqual(['西湖村']);
  });

  it('reads "…" and “…” as one phrase and -词 as an exclusion', () => {
    const q = parseQuery('"电费 突然翻倍" “表计” -抄表 -"估 抄"');
    expect(q.all.map((t) => t.text)).toEqual(['电费突然翻倍', '表计']);
    expect(q.none.map((t) => t.text)).toEqual(['抄表', '估抄']);
  });

  it('drops stopwords and keeps digits and latin words', () => {
    expect(texts('我的电费')).toEqual(['电费']);
    expect(texts('95598热线')).toEqual(['95598', '热线']);
  });

  it('widens a term by its synonym group, the term first', () => {
    const syn = synonymIndex([
      ['跳闸', '断电'],
      ['表计', '电表', '电能表'],
    ]);
    const q = parseQuery('跳闸 表计', syn);
    expect(q.all.map((t) => t.any)).toEqual([
      ['跳闸', '断电'],
      ['表计', '电表', '电能表'],
    ]);
  });
});

describe('identifierOf', () => {
  it('reads order numbers (any case, down to the day), phones and account numbers', () => {
    expect(identifierOf('ts2026112700042')).toEqual({ kind: 'number', value: 'TS2026112700042' });
    expect(identifierOf('JB20261127')).toEqual({ kind: 'number', value: 'JB20261127' });
    expect(identifierOf('137 0000-1111')).toEqual({ kind: 'digits', value: '13700001111' });
    expect(identifierOf('3201000001')).toEqual({ kind: 'digits', value: '3201000001' });
  });

  it('leaves short numbers and words to the text search', () => {
    expect(identifierOf('95598')).toBeNull();
    expect(identifierOf('TS2026')).toBeNull();
    expect(identifierOf('电费')).toBeNull();
  });
});

describe('index tokens and match sequences', () => {
  it('indexes the character bigrams of Chinese runs beside jieba words', () => {
    const t = searchTokens('和面机烧坏了').split(' ');
    expect(t).toEqual(expect.arrayContaining(['和面机', '和面', '面机', '机烧', '烧坏']));
  });

  it('matches a Chinese run as the sequence of its bigrams, other text by its words', () => {
    expect(matchSequences('面机烧')).toEqual([['面机', '机烧']]);
    expect(matchSequences('和面机')).toEqual([['和面机']]);
    expect(matchSequences('电费')).toEqual([['电费']]);
    // A word jieba keeps whole is one index token.
    expect(matchSequences('台区经理')).toEqual([['台区经理']]);
    expect(matchSequences('95598热线')).toEqual([['95598'], ['热线']]);
  });
});
