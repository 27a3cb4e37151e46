import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import underPressure from '@fastify/under-pressure';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type RawServerDefault,
} from 'fastify';
import type { Config } from './config.ts';
import { createServices, type Services } from './container.ts';
import type { Db } from './db/connect.ts';
import { isConnectionLostError, isInvalidInputError } from './db/sql/index.ts';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from './errors.ts';
import { authenticator, originCheck } from './http/auth.ts';
import { cleanInput } from './http/hygiene.ts';
import { registerMetrics } from './http/metrics.ts';
import { hstsHook, trustProxyOption } from './http/proxy.ts';
import { createRateLimitStore } from './http/rate-limit.ts';
import { responseSerializerCompiler } from './http/response-contract.ts';
import { strictAdminBodies } from './http/strict-bodies.ts';
import { loggerOptions } from './lib/log-redact.ts';
import { type Clock, systemClock } from './lib/time.ts';
import { ROUTES, type RoutePlugin } from './routes/index.ts';

export interface AppDeps {
  db: Db;
  clock?: Clock;
  /** Serve the built web app from this folder when it exists. */
  webDist?: string;
  logger?: boolean | object;
  /** Fail a response whose body breaks its route's response schema (the tests set it). */
  checkResponses?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** Set when shutdown begins: /readyz answers 503 so that the balancer sends no new requests here. */
    lifecycle: { draining: boolean };
  }
}

/** The app as route plugins see it: TypeBox-typed, with the services decorated on. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  // Load shedding: under-pressure has already set 503 and Retry-After on the reply.
  FST_UNDER_PRESSURE: 'unavailable',
};

/** A lost database connection is back within seconds after a restart or failover. */
const DB_RETRY_AFTER_SECONDS = 2;

function fieldOf(err: FastifyError): string {
  const v = err.validation?.[0] as
    | { instancePath?: string; params?: { missingProperty?: string; requiredProperties?: string[] } }
    | undefined;
  const path = (v?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const missing = v?.params?.missingProperty ?? v?.params?.requiredProperties?.[0];
  return [path, missing].filter(Boolean).join('.') || (err.validationContext ?? 'body');
}

/** Builds the Fastify app with every route; tests use it through `inject`, `main.ts` listens. */
export async function buildApp(config: Config, deps: AppDeps): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const services = createServices(deps.db, config, clock);
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config.logLevel),
    bodyLimit: 1024 * 1024,
    // Only the configured proxies may say who the client is and whether it came over TLS (GRIDVOICE_TRUST_PROXY).
    trustProxy: trustProxyOption(config.deploy),
    genReqId: () => crypto.randomUUID(),
    // Errors Fastify raises before routing (a malformed percent-encoding in the path) get the same envelope.
    frameworkErrors: (err, _req, reply) => {
      (reply as unknown as FastifyReply)
        .status(400)
        .send({ error: { code: 'validation_failed', message: err.message, details: { field: 'url' } } });
    },
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler(deps.checkResponses ?? false));
  app.decorate('services', services);
  app.decorate('lifecycle', { draining: false });
  // Rate limits count in one place for every node (Redis or PostgreSQL), so a balancer does not multiply them.
  const rateLimitStore = await createRateLimitStore(config, deps.db.kysely, app.log);
  app.decorate('rateLimitStore', rateLimitStore);
  app.addHook('onClose', async () => rateLimitStore.close());
  app.decorateRequest('actor', null);

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, details: err.details ?? {} } });
    }
    if (err.validation) {
      const field = fieldOf(err);
      return reply.status(400).send({
        error: {
          code: 'validation_failed',
          message: `${field}: ${err.validation[0]?.message ?? 'is invalid'}`,
          details: { field, issues: err.validation },
        },
      });
    }
    const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (mapped) {
      return reply
        .status(ERROR_CATALOGUE[mapped].status)
        .send({ error: { code: mapped, message: ERROR_CATALOGUE[mapped].message, details: {} } });
    }
    if (err.statusCode === 429) {
      return reply
        .status(429)
        .send({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试 (too many requests)', details: {} } });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ error: { code: 'validation_failed', message: err.message, details: {} } });
    }
    if (isInvalidInputError(err)) {
      return reply
        .status(400)
        .send({ error: { code: 'validation_failed', message: 'A value is out of range or not allowed', details: {} } });
    }
    if (isConnectionLostError(err)) {
      // Only the requests on the lost connection fail; the pool reconnects and a retry is safe (not acknowledged).
      req.log.warn({ err, reqId: req.id }, 'database unavailable');
      return reply
        .status(503)
        .header('Retry-After', String(DB_RETRY_AFTER_SECONDS))
        .send({ error: { code: 'database_unavailable', message: ERROR_CATALOGUE.database_unavailable.message, details: {} } });
    }
    req.log.error({ err, reqId: req.id }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Internal error', details: { requestId: req.id } } });
  });

  // Overload answers 503 with Retry-After at once instead of letting requests queue until they time out.
  await app.register(underPressure, {
    maxEventLoopDelay: config.pressure.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.pressure.maxHeapUsedBytes,
    maxRssBytes: config.pressure.maxRssBytes,
    retryAfter: config.pressure.retryAfterSeconds,
  });
  await app.register(cookie);
  registerMetrics(app, services, config.metricsToken);
  app.addHook('onRequest', async (req) => originCheck(req));
  app.addHook('onRequest', authenticator(services));
  app.addHook('preValidation', cleanInput);
  app.addHook('onRoute', strictAdminBodies);
  app.addHook('onSend', hstsHook());
  app.addHook('onSend', async (_req, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!reply.hasHeader('Content-Security-Policy')) {
      reply.header(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      );
    }
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'GridVoice API', description: '电力客户投诉举报处理平台 API', version: '0.1.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'gv_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const [plugin, prefix] of ROUTES) await app.register(plugin as RoutePlugin, { prefix });

  const dist = deps.webDist ?? join(process.cwd(), 'web', 'dist');
  if (existsSync(join(dist, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: dist,
      // The build's files are listed once at start; `npm start` builds before serving.
      wildcard: false,
      preCompressed: true,
      setHeaders: (res, path) => {
        // Hashed assets never change; index.html must always be revalidated to pick up a new build.
        res.header('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    app.setNotFoundHandler((req, reply) => {
      const path = req.url.split('?')[0] ?? '';
      // A missing file (an old chunk, a typo) is a 404, never index.html: a script tag must not get HTML.
      const isFile = path.startsWith('/assets/') || /\.[a-z0-9]{1,8}$/i.test(path);
      if (req.method === 'GET' && !isFile && !path.startsWith('/api/') && !path.startsWith('/open311/')) {
        return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
      }
      return reply.status(404).send({ error: { code: 'not_found', message: 'Not found', details: {} } });
    });
  } else {
    app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: { code: 'not_found', message: 'Not found', details: {} } }));
  }
  return app;
}
