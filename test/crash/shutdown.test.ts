import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { complaintBodies, login } from '../../bench/lib/load.ts';
import { startServer } from '../../bench/lib/measure.ts';
import { connect } from '../../server/db/connect.ts';
import type { Dialect } from '../../server/db/sql/index.ts';
import { DEMO_PASSWORD, describeEachDb } from '../harness.ts';
import { serverEnv } from './server-env.ts';

describeEachDb('SIGTERM', (dialect: Dialect) => {
  let setup: Awaited<ReturnType<typeof serverEnv>>;
  beforeAll(async () => {
    setup = await serverEnv(dialect);
  });
  afterAll(async () => setup?.drop());

  it('lets a request in flight finish and store its order, then exits 0', async () => {
    const server = await startServer(setup.env);
    const cookie = await login(server.url, 'agent', DEMO_PASSWORD);
    const body = Buffer.from(complaintBodies(1)[0] as string);
    const half = Math.floor(body.length / 2);
    let signalled = false;
    // The request is in flight: headers and half the body are in, the rest follows only after SIGTERM.
    async function* slowBody() {
      yield body.subarray(0, half);
      await new Promise((r) => setTimeout(r, 300));
      server.kill('SIGTERM');
      signalled = true;
      await new Promise((r) => setTimeout(r, 700));
      yield body.subarray(half);
    }
    const res = await request(`${server.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), cookie, origin: server.url },
      body: Readable.from(slowBody()),
    });
    const json = (await res.body.json()) as { ticket: { number: string } };
    expect(signalled).toBe(true);
    expect(res.statusCode).toBe(201);
    expect(await server.exited).toBe(0);

    const db = connect(setup.env.DATABASE_URL as string);
    const stored = await db.kysely.selectFrom('tickets').select(['number', 'version']).where('number', '=', json.ticket.number).execute();
    await db.close();
    expect(stored).toEqual([{ number: json.ticket.number, version: 1 }]);
  }, 60_000);

  it('refuses new connections once it is shutting down', async () => {
    const server = await startServer(setup.env);
    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await expect(request(`${server.url}/healthz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  }, 60_000);
});
