import type { FastifyRequest } from 'fastify';
import { cleanDeep } from '../domain/text-hygiene.ts';

/** The one place where text from every channel is cleaned, before the schemas see it. */
export async function cleanInput(req: FastifyRequest): Promise<void> {
  if (req.body !== undefined && !Buffer.isBuffer(req.body)) req.body = cleanDeep(req.body);
  cleanDeep(req.query);
  cleanDeep(req.params);
}
