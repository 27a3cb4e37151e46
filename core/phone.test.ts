import { describe, expect, it } from 'vitest';
import { isValidPhone, normalisePhone } from './phone.ts';

describe('phone rule', () => {
  it('refuses junk, short numbers and numbers of no network', () => {
    for (const junk of [
      '-----',
      '12345',
      '1234567',
      '12812345678',
      '1381234567',
      '138123456789',
      '00000000000',
      'abc13812345678',
      '0991-0234567',
      '',
    ])
      expect([junk, isValidPhone(junk)]).toEqual([junk, false]);
  });

  it('accepts mobiles and landlines with an area code, in their stored form', () => {
    expect(normalisePhone('13812345678')).toBe('13812345678');
    expect(normalisePhone('138 1234 5678')).toBe('13812345678');
    expect(normalisePhone('+86 138 1234 5678')).toBe('13812345678');
    expect(normalisePhone('19912345678')).toBe('19912345678');
    expect(normalisePhone('0991-1234567')).toBe('0991-1234567');
    expect(normalisePhone('01087654321')).toBe('01087654321');
    expect(normalisePhone('021-87654321')).toBe('021-87654321');
  });
});
