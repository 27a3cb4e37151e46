import type { FastifyReply } from 'fastify';
import type { FileDownload } from '../storage/file-store.ts';

/** RFC 8187 value: percent-encoding everything outside attr-char, which encodeURIComponent leaves as is for ' ( ) *. */
function rfc8187(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `inline` with an ASCII fallback name for old clients and the exact UTF-8 name for the rest. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${rfc8187(name)}`;
}

/**
 * Streams a stored file: its type, length and name, and a sandbox so that an uploaded HTML or SVG can never run
 * as this site's page.
 */
export function sendDownload(reply: FastifyReply, f: FileDownload): FastifyReply {
  reply.header('Content-Type', f.mime);
  reply.header('Content-Length', f.size);
  reply.header('Content-Disposition', contentDisposition(f.name));
  reply.header('Content-Security-Policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox");
  reply.header('Cache-Control', 'private, no-store');
  return reply.send(f.stream);
}
