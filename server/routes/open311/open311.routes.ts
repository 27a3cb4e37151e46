import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { toJson, toXml, type XmlValue, xmlList } from '../../lib/xml.ts';
import { Open311Error, type Open311Params } from '../../services/open311.service.ts';

type Format = 'json' | 'xml';

/** Splits `name.format`; the name may itself contain dots (class codes like `business.billing`). */
function splitFormat(file: string): { name: string; format: Format } {
  const i = file.lastIndexOf('.');
  const format = i > 0 ? file.slice(i + 1) : '';
  if (format !== 'json' && format !== 'xml') throw new Open311Error(404, 'Unknown format: use .json or .xml');
  return { name: file.slice(0, i), format };
}

function formatOf(url: string): Format {
  return /\.json(\?|$)/.test(url) ? 'json' : 'xml';
}

/** JSON as is; XML via the Spark convention (arrays become repeated elements). */
function send(reply: FastifyReply, format: Format, root: string, value: XmlValue, status = 200) {
  if (format === 'json')
    return reply
      .status(status)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(toJson(value)));
  return reply.status(status).type('text/xml; charset=utf-8').send(toXml(root, value));
}

function errors(reply: FastifyReply, format: Format, status: number, description: string) {
  return send(reply, format, 'errors', xmlList('error', [{ code: status, description }]), status);
}

function parseForm(body: string): { params: Open311Params; attributes: Record<string, string> } {
  const params: Open311Params = {};
  const attributes: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const m = /^attribute\[([^\]]{1,64})\](\[\])?$/.exec(k);
    if (m) attributes[m[1] as string] = v;
    else params[k] = v;
  }
  return { params, attributes };
}

const asList = <T extends Record<string, unknown>>(item: string, rows: T[]) => xmlList(item, rows as unknown as XmlValue[]);

/** Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): discovery, services, requests, tokens; JSON and XML. */
export async function open311Routes(app: App): Promise<void> {
  const s = app.services.open311;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
    done(null, parseForm(body as string)),
  );
  app.setErrorHandler((err: FastifyError | AppError | Open311Error, req, reply) => {
    const format = formatOf(req.url);
    if (err instanceof Open311Error) return errors(reply, format, err.status, err.message);
    if (err instanceof AppError) return errors(reply, format, err.status === 403 ? 403 : err.status === 404 ? 404 : 400, err.message);
    if ((err as FastifyError).statusCode && ((err as FastifyError).statusCode as number) < 500)
      return errors(reply, format, 400, err.message);
    req.log.error({ err, reqId: req.id }, 'open311 error');
    return errors(reply, format, 400, 'General service error');
  });
  app.setNotFoundHandler((req, reply) => errors(reply, formatOf(req.url), 404, 'Not found'));

  const base = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? 'localhost'}/open311/v2`;
  const query = (req: FastifyRequest) => req.query as Open311Params;

  app.get('/discovery.:format', { schema: { hide: true } }, async (req, reply) => {
    const { format } = splitFormat(`discovery.${(req.params as { format: string }).format}`);
    const d = s.discovery(base(req));
    return send(reply, format, 'discovery', {
      ...d,
      endpoints: xmlList(
        'endpoint',
        d.endpoints.map((e) => ({ ...e, formats: xmlList('format', e.formats) })),
      ),
    });
  });

  app.get('/services.:format', { schema: { hide: true } }, async (req, reply) => {
    const { format } = splitFormat(`services.${(req.params as { format: string }).format}`);
    return send(reply, format, 'services', asList('service', await s.services()));
  });

  app.get('/services/:file', { schema: { hide: true } }, async (req, reply) => {
    const { name, format } = splitFormat((req.params as { file: string }).file);
    const d = await s.definition(name);
    return send(reply, format, 'service_definition', {
      service_code: d.service_code,
      attributes: xmlList(
        'attribute',
        d.attributes.map((a) => ({ ...a, values: asList('value', a.values as Record<string, unknown>[]) }) as XmlValue),
      ),
    });
  });

  app.post('/requests.:format', { schema: { hide: true } }, async (req, reply) => {
    const { format } = splitFormat(`requests.${(req.params as { format: string }).format}`);
    const body = req.body as { params?: Open311Params; attributes?: Record<string, string> } | undefined;
    if (!body?.params) throw new Open311Error(400, 'Send the request as application/x-www-form-urlencoded');
    return send(reply, format, 'service_requests', asList('request', await s.create(body.params, body.attributes ?? {})));
  });

  app.get('/requests.:format', { schema: { hide: true } }, async (req, reply) => {
    const { format } = splitFormat(`requests.${(req.params as { format: string }).format}`);
    return send(reply, format, 'service_requests', asList('request', await s.requests(query(req))));
  });

  app.get('/requests/:file', { schema: { hide: true } }, async (req, reply) => {
    const { name, format } = splitFormat((req.params as { file: string }).file);
    return send(reply, format, 'service_requests', asList('request', await s.requests(query(req), name)));
  });

  app.get('/tokens/:file', { schema: { hide: true } }, async (req, reply) => {
    const { name, format } = splitFormat((req.params as { file: string }).file);
    return send(reply, format, 'service_requests', asList('request', await s.token(name)));
  });
}
