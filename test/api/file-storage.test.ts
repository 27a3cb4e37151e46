import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from '../../server/storage/database-file-store.ts';
import { safeFileName } from '../../server/storage/file-store.ts';
import { act, complaintBody, intake, unitId } from '../factories.ts';
import { describeEachDb, loginTo, makeTestApp, type SecondNode, secondNode, type TestApp } from '../harness.ts';
import { multipart, PNG } from '../portal-helpers.ts';

type H = Record<string, string>;

/** A PNG of about `bytes` bytes: the 1×1 image with a tail, still typed as PNG by its content. */
function bigPng(bytes: number): Buffer {
  const tail = Buffer.alloc(bytes - PNG.length);
  for (let i = 0; i < tail.length; i++) tail[i] = (i * 7919) % 251;
  return Buffer.concat([PNG, tail]);
}

async function upload(app: TestApp['app'], headers: H, url: string, name: string, data: Buffer) {
  const m = multipart({}, [{ field: 'file', name, type: 'image/png', data }]);
  return app.inject({ method: 'POST', url, headers: { ...headers, ...m.headers }, payload: m.payload });
}

describe('safeFileName', () => {
  it('replaces separators and C1 controls, drops C0 and bidi controls, and falls back when nothing is left', () => {
    expect(safeFileName('../../etc/passwd', 'x.png')).toBe('.._.._etc_passwd');
    expect(safeFileName('a\\b\u0000c\u007fd\u0085e', 'x.png')).toBe('a_bcd_e');
    expect(safeFileName('photo\u202egnp.exe', 'x.png')).toBe('photognp.exe');
    expect(safeFileName('   ', 'evidence.png')).toBe('evidence.png');
    expect(safeFileName('电表照片.png', 'x.png')).toBe('电表照片.png');
  });

  it('cuts at 200 characters without splitting a character', () => {
    const name = safeFileName('😀'.repeat(300), 'x');
    expect([...name]).toHaveLength(200);
    expect(name).toBe('😀'.repeat(200));
  });
});

describeEachDb('file storage across two nodes', (dialect) => {
  describe('database storage', () => {
    let a: TestApp;
    let b: SecondNode;
    let orderId: number;
    const h: Record<string, H> = {};

    beforeAll(async () => {
      a = await makeTestApp(dialect, { env: { GRIDVOICE_STORAGE: 'database' } });
      b = await secondNode(a);
      h.agentA = await a.login('agent');
      h.handlerB = await loginTo(b.app, 'handler');
      h.leaderB = await loginTo(b.app, 'leader');
      const r = await intake(a, h.agentA as H, complaintBody());
      orderId = r.json().ticket.id;
      await act(a, h.agentA as H, orderId, 'dispatch', { version: 1, unitId: await unitId(a, 'SFX-CG') });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('serves on node B an attachment uploaded on node A, streamed from chunks with its headers', async () => {
      const data = bigPng(CHUNK_BYTES * 2 + 1234);
      const up = await upload(a.app, h.agentA as H, `/api/v1/tickets/${orderId}/attachments`, "电表 '照片' (1).png", data);
      expect(up.statusCode, up.body).toBe(201);
      const id = up.json().attachment.id;
      const chunks = await a.db.kysely.selectFrom('file_chunks').select('seq').orderBy('seq').execute();
      expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2]);

      const get = await b.app.inject({ method: 'GET', url: `/api/v1/attachments/${id}`, headers: h.handlerB as H });
      expect(get.statusCode, get.body).toBe(200);
      expect(get.rawPayload.equals(data)).toBe(true);
      expect(get.headers['content-type']).toBe('image/png');
      expect(get.headers['content-length']).toBe(String(data.length));
      expect(get.headers['content-disposition']).toBe(
        `inline; filename="__ '__' (1).png"; filename*=UTF-8''%E7%94%B5%E8%A1%A8%20%27%E7%85%A7%E7%89%87%27%20%281%29.png`,
      );
      expect(get.headers['content-security-policy']).toContain('sandbox');
    });

    it('stores the same content once however many times it is uploaded', async () => {
      const before = await a.db.kysely
        .selectFrom('file_blobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      for (const app of [a.app, b.app]) {
        const headers = app === a.app ? (h.agentA as H) : (h.handlerB as H);
        const r = await upload(app, headers, `/api/v1/tickets/${orderId}/attachments`, 'same.png', PNG);
        expect(r.statusCode, r.body).toBe(201);
      }
      const after = await a.db.kysely
        .selectFrom('file_blobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n) + 1);
    });

    it('serves on node B the photos of a portal filing made on node A', async () => {
      const m = multipart(
        { kind: 'complaint', phone: '13900000031', location: '南山村二组', description: '村口电线杆倾斜严重，下雨天很危险，请尽快处理。' },
        [{ field: 'photos', name: '电杆.png', type: 'image/png', data: bigPng(5000) }],
      );
      const res = await a.app.inject({ method: 'POST', url: '/api/public/portal/submissions', ...m });
      expect(res.statusCode, res.body).toBe(201);
      const t = await a.db.kysely.selectFrom('tickets').select('id').where('number', '=', res.json().number).executeTakeFirstOrThrow();
      const att = await a.db.kysely.selectFrom('attachments').selectAll().where('ticket_id', '=', t.id).executeTakeFirstOrThrow();
      const agentB = await loginTo(b.app, 'agent');
      const get = await b.app.inject({ method: 'GET', url: `/api/v1/attachments/${att.id}`, headers: agentB });
      expect(get.statusCode, get.body).toBe(200);
      expect(get.rawPayload.equals(bigPng(5000))).toBe(true);
    });

    it('serves on node B the evidence of a rectification uploaded on node A', async () => {
      const leaderA = await a.login('leader');
      const raise = await a.app.inject({
        method: 'POST',
        url: '/api/v1/rectifications',
        headers: leaderA,
        payload: { unitId: await unitId(a, 'SFX-CG'), problem: '抄表差错导致电费投诉集中', measures: '全面核查抄表数据' },
      });
      expect(raise.statusCode, raise.body).toBe(201);
      const rid = raise.json().rectification.id;
      const up = await upload(a.app, leaderA, `/api/v1/rectifications/${rid}/evidence`, '整改\u202e照片.png', bigPng(CHUNK_BYTES + 1));
      expect(up.statusCode, up.body).toBe(201);
      expect(up.json().file.name).toBe('整改照片.png');
      const get = await b.app.inject({ method: 'GET', url: `/api/v1/rectification-files/${up.json().file.id}`, headers: h.leaderB as H });
      expect(get.statusCode, get.body).toBe(200);
      expect(get.headers['content-length']).toBe(String(CHUNK_BYTES + 1));
      expect(get.rawPayload.equals(bigPng(CHUNK_BYTES + 1))).toBe(true);
    });

    it('answers 404 not_found with the error envelope when the content is missing from the database', async () => {
      const up = await upload(a.app, h.agentA as H, `/api/v1/tickets/${orderId}/attachments`, 'lost.png', bigPng(777));
      const att = up.json().attachment;
      const row = await a.db.kysely.selectFrom('attachments').select('sha256').where('id', '=', att.id).executeTakeFirstOrThrow();
      await a.db.kysely.deleteFrom('file_chunks').where('sha256', '=', row.sha256).execute();
      await a.db.kysely.deleteFrom('file_blobs').where('sha256', '=', row.sha256).execute();
      const get = await b.app.inject({ method: 'GET', url: `/api/v1/attachments/${att.id}`, headers: h.handlerB as H });
      expect(get.statusCode).toBe(404);
      expect(get.json().error.code).toBe('not_found');
    });
  });

  describe('local storage', () => {
    let a: TestApp;
    let b: SecondNode;
    let shared: SecondNode;
    let orderId: number;
    let agent: H;

    beforeAll(async () => {
      a = await makeTestApp(dialect);
      // B keeps files in its own data dir; `shared` points at A's directory, as a shared volume would.
      b = await secondNode(a);
      shared = await secondNode(a, { GRIDVOICE_STORAGE_DIR: join(a.config.dataDir, 'attachments') });
      agent = await a.login('agent');
      orderId = (await intake(a, agent, complaintBody())).json().ticket.id;
    });
    afterAll(async () => {
      await shared?.close();
      await b?.close();
      await a?.close();
    });

    it('serves a file through a node that shares the directory, and 404 with the envelope through one that does not', async () => {
      const up = await upload(a.app, agent, `/api/v1/tickets/${orderId}/attachments`, 'p.png', PNG);
      expect(up.statusCode, up.body).toBe(201);
      const url = `/api/v1/attachments/${up.json().attachment.id}`;
      const viaShared = await shared.app.inject({ method: 'GET', url, headers: await loginTo(shared.app, 'agent') });
      expect(viaShared.statusCode).toBe(200);
      expect(viaShared.rawPayload.equals(PNG)).toBe(true);
      const viaOther = await b.app.inject({ method: 'GET', url, headers: await loginTo(b.app, 'agent') });
      expect(viaOther.statusCode).toBe(404);
      expect(viaOther.json().error.code).toBe('not_found');
    });

    it('answers 404 with the envelope when the file was removed from the directory', async () => {
      const data = bigPng(999);
      const up = await upload(a.app, agent, `/api/v1/tickets/${orderId}/attachments`, 'gone.png', data);
      const row = await a.db.kysely
        .selectFrom('attachments')
        .select('sha256')
        .where('id', '=', up.json().attachment.id)
        .executeTakeFirstOrThrow();
      rmSync(join(a.config.dataDir, 'attachments', row.sha256.slice(0, 2), row.sha256.slice(2, 4), row.sha256));
      const get = await a.app.inject({ method: 'GET', url: `/api/v1/attachments/${up.json().attachment.id}`, headers: agent });
      expect(get.statusCode).toBe(404);
      expect(get.json()).toMatchObject({ error: { code: 'not_found' } });
    });
  });
});
