import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** A 32-byte key for one purpose, derived from GRIDVOICE_SECRET with HKDF-SHA256. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'gridvoice', purpose, 32));
}

/** Hex SHA-256 of a string or buffer. */
export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A random URL-safe token with the given number of random bytes. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Capitals and digits a person can read back without confusion (no I, L, O, 0, 1). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/**
 * A code people type (a receipt code): `length` characters of capitals and digits, about 4.95 bits each, so a code
 * read back in lower case, or with spaces, still matches once normalised (20 characters ≈ 99 bits).
 */
export function randomCode(length = 20): string {
  let out = '';
  // 248 = 8 × 31: bytes at or above it would make some characters likelier than others.
  while (out.length < length) for (const b of randomBytes(length)) if (b < 248 && out.length < length) out += CODE_ALPHABET[b % 31];
  return out;
}

export interface Sealed {
  ciphertext: string;
  iv: string;
  tag: string;
}

/** AES-256-GCM encryption of a UTF-8 string; `aad` binds the ciphertext to its record. */
export function seal(key: Buffer, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Decrypts what `seal` produced; throws if the data or the record binding was altered. */
export function open(key: Buffer, s: Sealed, aad: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(s.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}
