import type { Role } from '../../core/taxonomy.ts';

/**
 * How much of a customer's data an actor sees: `full` for those who must call the customer back or investigate,
 * `masked` for those who supervise or analyse, `none` for roles that read no orders at all.
 */
export type CustomerAccess = 'full' | 'masked' | 'none';

/**
 * The one masking policy for customer data (name, phone, account number, address and coordinates), per role.
 * Every response that carries customer data and every export goes through `customerData` with the access of
 * `customerAccessOf`; a user holding several roles gets the most open of them.
 */
export const CUSTOMER_DATA_POLICY: Record<Role, { access: CustomerAccess; why: { zh: string; en: string } }> = {
  agent: {
    access: 'full',
    why: { zh: '受理、回访时要联系客户', en: 'takes the call and makes the call-back' },
  },
  handler: {
    access: 'full',
    why: { zh: '处理时要联系客户、上门核实', en: 'contacts and visits the customer while handling' },
  },
  unit_lead: {
    access: 'full',
    why: { zh: '单位内处理与一级审核，要联系客户', en: 'handles and first-reviews in the unit, contacts the customer' },
  },
  reviewer: {
    access: 'full',
    why: { zh: '保质审核时要向客户核实答复', en: 'checks replies with the customer during quality review' },
  },
  discipline: {
    access: 'full',
    why: { zh: '办理行风廉政举报，要调查核实', en: 'investigates integrity reports' },
  },
  leader: {
    access: 'masked',
    why: { zh: '督办与决策不需要客户身份', en: 'supervision needs no customer identity' },
  },
  analyst: {
    access: 'masked',
    why: { zh: '统计分析不接触个人信息', en: 'statistics carry no personal data' },
  },
  admin: {
    access: 'none',
    why: { zh: '不读取工单', en: 'reads no orders' },
  },
};

const OPENNESS: Record<CustomerAccess, number> = { none: 0, masked: 1, full: 2 };

/** The access of an actor's roles: the most open of them (none for no role). */
export function customerAccessOf(roles: readonly Role[]): CustomerAccess {
  let out: CustomerAccess = 'none';
  for (const r of roles) {
    const a = CUSTOMER_DATA_POLICY[r]?.access ?? 'none';
    if (OPENNESS[a] > OPENNESS[out]) out = a;
  }
  return out;
}

/**
 * Whether orders may be looked up by a customer's phone or account number: only with full access, since a masked
 * role that could filter by a number it typed would learn whose number it is (a reverse lookup).
 */
export function mayLookUpCustomers(access: CustomerAccess): boolean {
  return access === 'full';
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** 张建国 → 张**. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

/** 3201000001 → ****0001. */
export function maskAccount(account: string | null): string | null {
  if (!account) return account;
  return account.length > 4 ? `****${account.slice(-4)}` : '****';
}

/**
 * 示范县城关镇人民路18号 → 示范县城关镇***: the first six characters (county and township), never more than half of
 * the address, so that a short address is not shown whole.
 */
export function maskAddress(address: string | null): string | null {
  if (!address) return address;
  const chars = [...address];
  return `${chars.slice(0, Math.min(6, Math.floor(chars.length / 2))).join('')}***`;
}

/** The customer data of an order or a customer record, as stored. */
export interface CustomerFields {
  name: string | null;
  phone: string | null;
  account: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
}

/**
 * The customer data an actor with this access may see: all of it, masked (coordinates dropped, as they locate the
 * address exactly), or nothing. `masked` says whether anything present was withheld.
 */
export function customerData(access: CustomerAccess, c: CustomerFields): CustomerFields & { masked: boolean } {
  if (access === 'full') return { ...c, masked: false };
  const present = [c.name, c.phone, c.account, c.address, c.lat, c.lng].some((x) => x !== null && x !== '');
  if (access === 'none') return { name: null, phone: null, account: null, address: null, lat: null, lng: null, masked: present };
  return {
    name: maskName(c.name),
    phone: maskPhone(c.phone),
    account: maskAccount(c.account),
    address: maskAddress(c.address),
    lat: null,
    lng: null,
    masked: present,
  };
}

/** An address alone (an outage's linked orders, a repeat-address row), for the actor's access. */
export function addressFor(access: CustomerAccess, address: string | null): string | null {
  return customerData(access, { name: null, phone: null, account: null, address, lat: null, lng: null }).address;
}

/** The customer data of an order row, for the actor's access. */
export function orderCustomerData(
  access: CustomerAccess,
  t: {
    customer_name: string | null;
    customer_phone: string | null;
    customer_account: string | null;
    location: string | null;
    lat: number | null;
    lng: number | null;
  },
) {
  return customerData(access, {
    name: t.customer_name,
    phone: t.customer_phone,
    account: t.customer_account,
    address: t.location,
    lat: t.lat,
    lng: t.lng,
  });
}
