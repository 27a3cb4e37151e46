import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Services } from '../container.ts';
import type { Actor } from '../services/actor.ts';
import { OrderImportService } from '../services/order-import.service.ts';

/**
 * `gridvoice import orders FILE --map map.json [--dry-run] [--all-or-nothing] [--company CODE]`: imports closed
 * historical orders as the system (events carry no user), printing progress to stderr and the report to stdout.
 * Exit code 0 when every row was imported or skipped, 1 when a row was rejected.
 */
export async function importCommand(
  services: Services,
  args: string[],
  opts: { map?: string; company?: string; dryRun: boolean; allOrNothing: boolean },
  out: { progress: (s: string) => void; report: (s: string) => void },
): Promise<number> {
  const [what, file] = args;
  if (what !== 'orders' || !file || !opts.map)
    throw new Error('usage: gridvoice import orders FILE --map map.json [--dry-run] [--all-or-nothing] [--company CODE]');
  const map = JSON.parse(readFileSync(opts.map, 'utf8')) as unknown;
  const companies = (await services.org.list()).filter((u) => u.kind === 'company');
  const company = opts.company ? companies.find((c) => c.code === opts.company) : companies.length === 1 ? companies[0] : undefined;
  if (!company)
    throw new Error(opts.company ? `--company ${opts.company}: no such company` : 'several companies: name one with --company CODE');
  const actor: Actor = {
    kind: 'user',
    userId: null,
    tokenId: null,
    username: 'cli',
    displayName: '命令行导入',
    roles: ['admin'],
    unitId: company.id,
    unitPath: company.path,
    companyId: company.id,
    companyPath: company.path,
    sessionIdHash: null,
  };
  const options = OrderImportService.options({ dryRun: opts.dryRun, allOrNothing: opts.allOrNothing });
  const { jobId, mapping } = await services.orderImport.createJob(actor, basename(file), map, options);
  const report = await services.orderImport.run(actor, jobId, mapping, { name: file, data: readFileSync(file) }, options, (p) => {
    const pct = p.total ? Math.round((p.processed / p.total) * 100) : 100;
    out.progress(`\r导入 ${p.processed}/${p.total} (${pct}%) — imported ${p.imported}, skipped ${p.skipped}, failed ${p.failed}`);
  });
  out.progress('\n');
  const verb = options.dryRun ? 'would import' : 'imported';
  out.report(
    `job ${jobId}${options.dryRun ? ' (dry run)' : ''}: ${report.total} rows, ${verb} ${options.dryRun ? report.rows.filter((r) => r.outcome === 'would_import').length : report.imported}, skipped ${report.skipped}, rejected ${report.failed}\n`,
  );
  for (const p of report.problems) out.report(`  row ${p.row} ${p.field}: ${p.problem}\n`);
  return report.status === 'done' && report.failed === 0 ? 0 : 1;
}
