import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { describeEachDb, makeTestApp, type TestApp } from '../harness.ts';

describeEachDb('load shedding', (dialect) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers 503 with Retry-After and the error envelope when a threshold is exceeded', async () => {
    // A 1 MB heap limit is exceeded at once: every request after the first sample (1 s) is shed.
    t = await makeTestApp(dialect, { env: { GRIDVOICE_MAX_HEAP_MB: '1', GRIDVOICE_RETRY_AFTER_SECONDS: '7' } });
    await new Promise((r) => setTimeout(r, 1300));
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json().error.code).toBe('unavailable');
  });

  it('serves normally under the default thresholds', async () => {
    t = await makeTestApp(dialect);
    await new Promise((r) => setTimeout(r, 1100));
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(res.statusCode).toBe(401);
  });
});

it('reports bad load-shedding settings with the other configuration problems', () => {
  let message = '';
  try {
    loadConfig({ GRIDVOICE_MAX_EVENT_LOOP_DELAY_MS: 'soon', GRIDVOICE_RETRY_AFTER_SECONDS: '0', PORT: 'x' }, { createDataDir: false });
  } catch (err) {
    message = (err as Error).message;
  }
  for (const key of ['PORT', 'GRIDVOICE_MAX_EVENT_LOOP_DELAY_MS', 'GRIDVOICE_RETRY_AFTER_SECONDS']) expect(message).toContain(key);
});
