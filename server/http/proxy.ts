import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DeployConfig } from '../config-deploy.ts';

/**
 * Fastify's trustProxy: only the listed proxies' X-Forwarded-For/-Proto/-Host are believed, so that a client
 * cannot claim another address by sending the header itself. Nothing listed → the socket's peer is the client.
 */
export function trustProxyOption(deploy: DeployConfig): string[] | false {
  return deploy.trustProxy.length > 0 ? [...deploy.trustProxy] : false;
}

/** True when a cookie set on this request must be Secure: it arrived over TLS (directly or per a trusted proxy), or the operator says so. */
export function secureCookies(req: FastifyRequest, deploy: DeployConfig): boolean {
  return deploy.cookieSecure || req.protocol === 'https';
}

/** One year; browsers remember to use TLS only after they have seen the header over TLS. */
const HSTS = 'max-age=31536000';

/** Sends Strict-Transport-Security on answers to requests that arrived over TLS (per a trusted proxy, too). */
export function hstsHook() {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (req.protocol === 'https') reply.header('Strict-Transport-Security', HSTS);
  };
}
