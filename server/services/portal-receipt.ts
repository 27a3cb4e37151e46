import { createHmac, timingSafeEqual } from 'node:crypto';
import { sha256 } from '../lib/crypto.ts';

/**
 * The signed receipt an anonymous reporter downloads: it proves when the report was filed and what it said
 * (a hash of the text), without naming the reporter and without the receipt code (the login secret).
 */
export interface SignedReceipt {
  type: 'gridvoice-receipt';
  version: 1;
  number: string;
  filedAt: string;
  /** sha256 of the description exactly as filed. */
  contentHash: string;
  issuer: string;
  signatureAlgorithm: 'HMAC-SHA256';
  signature: string;
}

type Unsigned = Omit<SignedReceipt, 'signature'>;

function canonical(r: Unsigned): string {
  return JSON.stringify([r.type, r.version, r.number, r.filedAt, r.contentHash, r.issuer, r.signatureAlgorithm]);
}

/** Signs a receipt for a filing. */
export function signReceipt(key: Buffer, f: { number: string; filedAt: string; description: string; issuer: string }): SignedReceipt {
  const unsigned: Unsigned = {
    type: 'gridvoice-receipt',
    version: 1,
    number: f.number,
    filedAt: f.filedAt,
    contentHash: sha256(f.description),
    issuer: f.issuer,
    signatureAlgorithm: 'HMAC-SHA256',
  };
  return { ...unsigned, signature: createHmac('sha256', key).update(canonical(unsigned)).digest('hex') };
}

/** Whether the receipt's signature is ours and untouched. */
export function receiptSignatureValid(key: Buffer, r: SignedReceipt): boolean {
  if (typeof r.signature !== 'string' || !/^[0-9a-f]{64}$/.test(r.signature)) return false;
  const expected = createHmac('sha256', key).update(canonical(r)).digest();
  return timingSafeEqual(expected, Buffer.from(r.signature, 'hex'));
}
