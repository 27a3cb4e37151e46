import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import { ImportJob, ImportStarted } from '../../../core/schemas/import.schema.ts';
import type { App } from '../../app.ts';
import { AppError, invalidField } from '../../errors.ts';
import { actorOf } from '../../http/auth.ts';
import { OrderImportService } from '../../services/order-import.service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/**
 * Import of historical orders (admins): `POST /import/orders` multipart with `file` (.xlsx/.csv), `map` (the column
 * mapping JSON) and optional `dryRun` / `allOrNothing` fields; answers 202 with the job id, whose progress and report
 * `GET /import/jobs/:id` shows.
 */
export async function importRoutes(app: App): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } });
  const s = app.services.orderImport;

  app.post('/import/orders', { schema: { response: { 202: ImportStarted }, tags: ['import'] } }, async (req, reply) => {
    const actor = actorOf(req);
    if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'Send multipart/form-data with "file" and "map"');
    const fields: Record<string, string> = {};
    let file: { name: string; data: Buffer } | null = null;
    for await (const part of req.parts()) {
      if (part.type === 'file') file = { name: part.filename, data: await part.toBuffer() };
      else fields[part.fieldname] = String(part.value);
    }
    if (!file) throw invalidField('file', 'is required');
    let map: unknown;
    try {
      map = JSON.parse(fields.map ?? '');
    } catch {
      throw invalidField('map', 'must be JSON');
    }
    const opts = OrderImportService.options(fields);
    const { jobId, mapping } = await s.createJob(actor, file.name, map, opts);
    const f = file;
    // The job runs after the answer; its row records progress and the final report.
    setImmediate(() => {
      s.run(actor, jobId, mapping, f, opts).catch((err: unknown) => req.log.error({ err, jobId }, 'import job failed'));
    });
    return reply.status(202).send({ jobId, status: 'running' as const });
  });

  app.get('/import/jobs/:id', { schema: { params: Id, response: { 200: ImportJob }, tags: ['import'] } }, async (req) =>
    s.job(actorOf(req), req.params.id),
  );
}
