import { describe, expect, it } from 'vitest';
import { deriveKey } from '../lib/crypto.ts';
import { receiptSignatureValid, signReceipt } from './portal-receipt.ts';

describe('signed receipts', () => {
  const key = deriveKey('test-secret-test-secret-test-secret-0123', 'portal-receipt');
  const r = signReceipt(key, {
    number: 'JB2026112700001',
    filedAt: '2026-11-27T02:00:00.000Z',
    description: '举报内容',
    issuer: '示范县供电公司',
  });

  it('verifies an untouched receipt', () => {
    expect(receiptSignatureValid(key, r)).toBe(true);
  });

  it('rejects a changed field, a changed signature and another key', () => {
    expect(receiptSignatureValid(key, { ...r, filedAt: '2026-11-26T02:00:00.000Z' })).toBe(false);
    expect(receiptSignatureValid(key, { ...r, contentHash: '0'.repeat(64) })).toBe(false);
    expect(receiptSignatureValid(key, { ...r, signature: 'f'.repeat(64) })).toBe(false);
    expect(receiptSignatureValid(key, { ...r, signature: 'not-hex' })).toBe(false);
    expect(receiptSignatureValid(deriveKey('another-secret-another-secret-0123456', 'portal-receipt'), r)).toBe(false);
  });
});
