import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, redactUrl } from './log-redact.ts';

describe('log redaction', () => {
  it('masks secret query values and phone numbers in URLs', () => {
    expect(redactUrl('/api/v1/customers/lookup?phone=13912345678&x=1')).toBe('/api/v1/customers/lookup?phone=[redacted]&x=1');
    expect(redactUrl('/open311/v2/requests.json?api_key=gv_secret&status=open')).toBe(
      '/open311/v2/requests.json?api_key=[redacted]&status=open',
    );
    expect(redactUrl('/api/v1/customers/13912345678/history?q=13812345678')).toBe('/api/v1/customers/[phone]/history?q=[phone]');
    expect(redactUrl('/api/v1/tickets?sort=due')).toBe('/api/v1/tickets?sort=due');
  });

  it('keeps credentials, tokens, passwords and phone numbers out of captured request and job logs', async () => {
    const lines: string[] = [];
    const stream = { write: (l: string) => void lines.push(l) };
    const app = Fastify({ logger: loggerOptions('info', stream) });
    app.post('/t/:phone', async (req) => {
      req.log.info({ body: req.body }, 'got');
      return { ok: true };
    });
    await app.inject({
      method: 'POST',
      url: '/t/13912345678?api_key=gv_abcdef&token=tok123',
      headers: { authorization: 'Bearer gv_bearer_secret', cookie: 'gv_session=cookie_secret' },
      payload: { password: 'hunter2-secret', phone: '13812345678', token: 'tk_secret', note: 'ok' },
    });
    await app.close();
    pino(loggerOptions('info', stream)).info({ order: { phone: '13712345678', api_key: 'job_key' } }, 'job');
    const out = lines.join('');
    expect(out).toContain('"note":"ok"');
    for (const secret of [
      '13912345678',
      '13812345678',
      '13712345678',
      'gv_abcdef',
      'tok123',
      'gv_bearer_secret',
      'cookie_secret',
      'hunter2',
      'tk_secret',
      'job_key',
    ]) {
      expect(out, secret).not.toContain(secret);
    }
  });
});
