import { describe, expect, it } from 'vitest';
import { ROLES } from '../../core/taxonomy.ts';
import { CUSTOMER_DATA_POLICY, customerAccessOf, customerData, maskAddress, mayLookUpCustomers } from './customer-data.ts';

const C = { name: '张建国', phone: '13812345678', account: '3201000001', address: '示范县城关镇人民路18号', lat: 43.8, lng: 87.6 };

describe('customer data policy', () => {
  it('has a row for every role', () => {
    for (const r of ROLES) expect(CUSTOMER_DATA_POLICY[r.code]?.access).toMatch(/^(full|masked|none)$/);
  });

  it('gives a user of several roles the most open of them', () => {
    expect(customerAccessOf(['analyst', 'handler'])).toBe('full');
    expect(customerAccessOf(['admin', 'leader'])).toBe('masked');
    expect(customerAccessOf(['admin'])).toBe('none');
    expect(customerAccessOf([])).toBe('none');
  });

  it('masks every field and drops the coordinates for masked access', () => {
    expect(customerData('masked', C)).toEqual({
      name: '张**',
      phone: '138****5678',
      account: '****0001',
      address: '示范县城关镇***',
      lat: null,
      lng: null,
      masked: true,
    });
    expect(customerData('full', C)).toEqual({ ...C, masked: false });
    expect(customerData('none', C)).toMatchObject({ name: null, phone: null, account: null, address: null, masked: true });
  });

  it('never shows more than half of a short address', () => {
    expect(maskAddress('城关镇')).toBe('城***');
    expect(maskAddress('人民路18号')).toBe('人民路***');
  });

  it('lets only full access look orders up by number', () => {
    expect(mayLookUpCustomers('full')).toBe(true);
    expect(mayLookUpCustomers('masked')).toBe(false);
    expect(mayLookUpCustomers('none')).toBe(false);
  });
});
