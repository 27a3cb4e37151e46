import type { TestApp } from './harness.ts';

type Headers = Record<string, string>;

/** A realistic phone complaint body; override any field. */
export function complaintBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'complaint',
    channel: 'phone',
    classCode: 'business.billing',
    subject: '电费突然翻倍',
    description: '我家上个月电费突然翻倍，平时只有一百多，这个月三百多，要求核查电表。',
    location: '示范县城关镇人民路18号',
    customer: { name: '张建国', phone: '13912345678', account: '3201000001' },
    ...overrides,
  };
}

/** POSTs an intake and returns the response. */
export async function intake(t: TestApp, headers: Headers, body: Record<string, unknown> = complaintBody(), extra: Headers = {}) {
  return t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { ...headers, ...extra }, payload: body });
}

/** POSTs an action with the given version and fields. */
export async function act(t: TestApp, headers: Headers, id: number, action: string, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/actions/${action}`, headers, payload: body });
}

/** GETs an order's detail. */
export async function detail(t: TestApp, headers: Headers, id: number) {
  return t.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}`, headers });
}

/** The id of a demo unit by its code. */
export async function unitId(t: TestApp, code: string): Promise<number> {
  const u = await t.db.kysely.selectFrom('org_units').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return u.id;
}

/** The id of a demo user by username. */
export async function userId(t: TestApp, username: string): Promise<number> {
  const u = await t.db.kysely.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return u.id;
}

export const HOUR = 3_600_000;
