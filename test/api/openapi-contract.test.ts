import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../harness.ts';

type Op = { responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }> };
type Doc = { paths: Record<string, Record<string, Op>> };

/** Whether the operation describes the body of its success response (a 204 has none to describe). */
function describesSuccess(op: Op): boolean {
  return Object.entries(op.responses ?? {}).some(
    ([code, r]) => code === '204' || (/^2\d\d$/.test(code) && Object.values(r.content ?? {}).some((c) => c.schema !== undefined)),
  );
}

describe('the OpenAPI document', () => {
  let t: TestApp;
  let ops: Array<[string, Op]>;
  beforeAll(async () => {
    t = await makeTestApp('sqlite', { demoTickets: false });
    const doc = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).body) as Doc;
    ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, op]): [string, Op] => [`${method.toUpperCase()} ${path}`, op]),
    );
  });
  afterAll(() => t.close());

  it('describes the response body of every operation', () => {
    const missing = ops.filter(([, op]) => !describesSuccess(op)).map(([name]) => name);
    expect(missing).toEqual([]);
    console.log(`response schemas: ${ops.length - missing.length} of ${ops.length} operations`);
  });

  it('answers bodies that keep their schema (the harness fails a response that breaks it)', async () => {
    const h = await t.login('leader');
    for (const url of ['/api/v1/auth/me', '/api/v1/notifications', '/api/v1/tickets/queues', '/api/v1/org-units'])
      expect((await t.app.inject({ method: 'GET', url, headers: h })).statusCode, url).toBe(200);
  });
});
