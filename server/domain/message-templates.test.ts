import { describe, expect, it } from 'vitest';
import { backoffMs, CUSTOMER_TEMPLATES, renderMessage, STAFF_TEMPLATES } from './message-templates.ts';

describe('message templates', () => {
  it('renders every template in Chinese with the order number', () => {
    for (const t of [...CUSTOMER_TEMPLATES, ...STAFF_TEMPLATES]) {
      const r = renderMessage(t, {
        company: '示范县供电公司',
        number: 'TS2026112700001',
        queryCode: 'AB2C-D3EF',
        note: '请尽快处理',
        clock: '回单',
        due: '2026-11-30',
      });
      expect(r.text, t).toContain('TS2026112700001');
      expect(r.text, t).toMatch(/[\u4e00-\u9fff]/);
      expect(r.subject.length, t).toBeGreaterThan(0);
    }
  });

  it('puts the number, the query code and the portal link into the accepted SMS', () => {
    const r = renderMessage('accepted', {
      company: '示范县供电公司',
      number: 'TS2026112700001',
      kind: '投诉',
      queryCode: 'AB2C-D3EF',
      url: 'https://95598.example.cn/portal',
    });
    expect(r.text).toBe(
      '【示范县供电公司】您的投诉已受理，工单号TS2026112700001，查询码AB2C-D3EF。请妥善保管查询码，可凭工单号和查询码在https://95598.example.cn/portal查询办理进度。',
    );
  });

  it('backs off exponentially and caps at six hours', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(30, 30_000)).toBe(6 * 3_600_000);
  });
});
