import { describe, expect, it } from 'vitest';
import { assessRisk, RISK_FLAG_AT } from './risk.ts';

const CALM = '家里电费比上个月高了一点，想请你们核对一下抄表读数。';
const calm = assessRisk({ text: CALM });

describe('assessRisk cues', () => {
  // One case per cue an agent hears on the phone: the cue raises the score and is named in the reasons.
  it.each([
    ['情绪激动', '客户情绪激动，说家里停电一天了', '情绪激动'],
    ['再不处理', '再不处理我就不交电费了', '再不处理'],
    ['要曝光', '你们再拖我就要曝光你们', '曝光'],
    ['找媒体', '我明天就去找媒体反映', '媒体'],
    ['投诉到底', '这事我一定投诉到底', '投诉到底'],
    ['老人 without power', '家里就一个八十岁的老人，停电两天了', '老人'],
    ['病人 without power', '家里有病人要用制氧机，现在没电了', '病人'],
    ['12398', '不给说法我就打12398', '12398'],
    ['12345', '我已经打了12345', '12345'],
    ['律师', '我已经找了律师', '律师'],
    ['起诉', '我要去法院起诉你们', '起诉'],
  ])('raises the score for %s and names the cue', (_cue, text, named) => {
    const r = assessRisk({ text: `${CALM}${text}` });
    expect(r.score).toBeGreaterThan(calm.score);
    expect(r.reasons.join(' ')).toContain(named);
    expect(r.card).not.toBeNull();
  });

  it('flags an upset caller who threatens the regulator (情绪激动 + 再不处理就打12398)', () => {
    const r = assessRisk({ text: '客户情绪激动，称再不处理就打12398' });
    expect(r.score).toBeGreaterThanOrEqual(RISK_FLAG_AT);
    expect(r.flagged).toBe(true);
    expect(r.categories).toEqual(expect.arrayContaining(['emotion', 'ultimatum', 'regulator']));
  });

  it('does not count an old person who has power', () => {
    const r = assessRisk({ text: '家里老人想问一下电费怎么交' });
    expect(r.categories).not.toContain('vulnerable');
    expect(r.score).toBe(0);
  });
});
