import ExcelJS from 'exceljs';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { shanghaiDate } from '../domain/calendar.ts';
import { summarize } from '../domain/clocks.ts';
import {
  type Cell,
  checkHeadings,
  type ImportedOrder,
  type ImportMapping,
  keepableNumber,
  parseMapping,
  type RowProblem,
  readOrderRow,
} from '../domain/order-import.ts';
import { AppError, invalidField } from '../errors.ts';
import { parseCsv } from '../lib/csv.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { CustomerRepository } from '../repositories/customer.repository.ts';
import type { ImportJobRepository } from '../repositories/import-job.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import { newTicketRow, type TicketRepository } from '../repositories/ticket.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import { createOrder, takeOrderNumber } from './create-order.ts';
import type { ReferenceService } from './reference.service.ts';
import type { TicketHooks } from './ticket-hooks.ts';

type Trx = Transaction<Database>;

export interface ImportOptions {
  dryRun: boolean;
  /** The whole file or nothing; otherwise each row is all-or-nothing on its own. */
  allOrNothing: boolean;
}

export interface ImportProgress {
  total: number;
  processed: number;
  imported: number;
  skipped: number;
  failed: number;
}

export interface ImportReport extends ImportProgress {
  jobId: number;
  status: 'done' | 'failed';
  dryRun: boolean;
  allOrNothing: boolean;
  /** Imported rows: the row, the original number and the number the order has now. */
  rows: Array<{ row: number; sourceNumber: string; number: string | null; outcome: 'imported' | 'skipped' | 'would_import' }>;
  problems: RowProblem[];
}

interface SheetRow {
  row: number;
  cells: Record<string, Cell>;
}

/** Thrown inside a dry run's transaction so that everything it wrote is rolled back. */
class DryRunRollback extends Error {}

const PROGRESS_EVERY = 25;

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
    if ('error' in v) return null;
  }
  return String(v);
}

/** Decodes a CSV file: UTF-8 (with or without BOM), else GB18030 as Chinese Excel saves it. */
export function decodeText(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

/** Reads the first sheet of an .xlsx file, or a CSV file, into rows keyed by the header row's headings. */
export async function readSheet(name: string, data: Buffer): Promise<{ headings: string[]; rows: SheetRow[] }> {
  if (/\.xlsx$/i.test(name)) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) return { headings: [], rows: [] };
    const headings: string[] = [];
    ws.getRow(1).eachCell({ includeEmpty: true }, (c, col) => {
      headings[col - 1] = String(cellValue(c.value) ?? '').trim();
    });
    const rows: SheetRow[] = [];
    ws.eachRow((r, n) => {
      if (n === 1) return;
      const cells: Record<string, Cell> = {};
      headings.forEach((h, i) => {
        if (h) cells[h] = cellValue(r.getCell(i + 1).value);
      });
      if (Object.values(cells).some((v) => v !== null && String(v).trim() !== '')) rows.push({ row: n, cells });
    });
    return { headings: headings.filter(Boolean), rows };
  }
  if (/\.csv$/i.test(name)) {
    const lines = parseCsv(decodeText(data));
    const header = lines[0];
    if (!header) return { headings: [], rows: [] };
    const headings = header.cells.map((h) => h.trim());
    return {
      headings,
      rows: lines.slice(1).map((l) => ({ row: l.line, cells: Object.fromEntries(headings.map((h, i) => [h, l.cells[i] ?? ''])) })),
    };
  }
  throw new AppError('unsupported_media_type', 'Import an .xlsx or .csv file');
}

/**
 * Import of historical orders: closed orders from Excel or CSV with a column mapping,
 * validated row by row, idempotent on the original number, each row all-or-nothing (or the whole file), each order
 * with an `import` event at the head of its hash chain and the derived data (search, statistics) kept in step.
 *
 * Numbers: the original number is kept when it fits our format for the kind (e.g. TS2024031500012) and no order has
 * it yet (our daily sequence is moved past it so new intakes never collide); otherwise the order gets a new number of
 * its intake day and the original is stored as `external_ref` (unless the file gives one). The original number is
 * always the key in `imported_orders`, so a re-run skips rows already imported.
 */
export class OrderImportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tickets: TicketRepository,
    private readonly customers: CustomerRepository,
    private readonly jobs: ImportJobRepository,
    private readonly org: OrgRepository,
    private readonly reference: ReferenceService,
    private readonly hooks: TicketHooks,
    private readonly clock: Clock,
    private readonly plannerStats: { afterBulkLoad(): Promise<void> },
  ) {}

  /** Checks the mapping and creates the job; `run` does the work. Admins only. */
  async createJob(
    actor: Actor,
    fileName: string,
    mapJson: unknown,
    opts: ImportOptions,
  ): Promise<{ jobId: number; mapping: ImportMapping }> {
    requirePermission(actor, 'admin.import');
    if (actor.companyId === null) throw new AppError('forbidden', 'Your unit belongs to no company');
    const { mapping, problems } = parseMapping(mapJson);
    if (!mapping)
      throw new AppError('validation_failed', `map: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`, {
        field: 'map',
        problems,
      });
    const jobId = await this.jobs.insert({
      kind: 'orders',
      company_id: actor.companyId,
      file_name: fileName.slice(0, 200),
      status: 'running',
      dry_run: opts.dryRun ? 1 : 0,
      total: 0,
      processed: 0,
      imported: 0,
      skipped: 0,
      failed: 0,
      report: '[]',
      created_by: actor.userId,
      created_at: iso(this.clock()),
      finished_at: null,
    });
    return { jobId, mapping };
  }

  /** A job's progress and, when finished, its report. */
  async job(actor: Actor, id: number) {
    requirePermission(actor, 'admin.import');
    const j = await this.jobs.find(id, actor.companyId ?? -1);
    if (!j) throw new AppError('not_found', `Import job ${id} not found`);
    const report = JSON.parse(j.report) as Partial<Pick<ImportReport, 'rows' | 'problems'>> | RowProblem[];
    return {
      id: j.id,
      fileName: j.file_name,
      status: j.status,
      dryRun: j.dry_run === 1,
      total: j.total,
      processed: j.processed,
      imported: j.imported,
      skipped: j.skipped,
      failed: j.failed,
      percent: j.total ? Math.round((j.processed / j.total) * 100) : j.status === 'running' ? 0 : 100,
      createdAt: j.created_at,
      finishedAt: j.finished_at,
      ...(Array.isArray(report) ? { problems: report } : report),
    };
  }

  /** Runs a created job over the file; `onProgress` is told after every few rows (the CLI prints it). */
  async run(
    actor: Actor,
    jobId: number,
    mapping: ImportMapping,
    file: { name: string; data: Buffer },
    opts: ImportOptions,
    onProgress: (p: ImportProgress) => void = () => {},
  ): Promise<ImportReport> {
    const report: ImportReport = {
      jobId,
      status: 'done',
      dryRun: opts.dryRun,
      allOrNothing: opts.allOrNothing,
      total: 0,
      processed: 0,
      imported: 0,
      skipped: 0,
      failed: 0,
      rows: [],
      problems: [],
    };
    try {
      const sheet = await readSheet(file.name, file.data);
      report.total = sheet.rows.length;
      const headingProblems = checkHeadings(mapping, sheet.headings);
      if (headingProblems.length) {
        report.problems.push(...headingProblems);
        report.failed = report.total;
        report.status = 'failed';
      } else await this.importRows(actor, jobId, mapping, sheet.rows, opts, report, onProgress);
    } catch (err) {
      report.status = 'failed';
      report.problems.push({ row: 0, field: 'file', problem: err instanceof Error ? err.message : String(err) });
    }
    await this.saveProgress(jobId, report, true);
    // A history of thousands of orders makes the planner's statistics stale at once (a full scan where a key would do).
    if (report.imported > 0) await this.plannerStats.afterBulkLoad();
    onProgress(report);
    return report;
  }

  private async saveProgress(jobId: number, r: ImportReport, final: boolean): Promise<void> {
    await this.jobs.update(jobId, {
      total: r.total,
      processed: r.processed,
      imported: r.imported,
      skipped: r.skipped,
      failed: r.failed,
      ...(final
        ? { status: r.status, report: JSON.stringify({ rows: r.rows, problems: r.problems }), finished_at: iso(this.clock()) }
        : {}),
    });
  }

  private async importRows(
    actor: Actor,
    jobId: number,
    mapping: ImportMapping,
    rows: SheetRow[],
    opts: ImportOptions,
    report: ImportReport,
    onProgress: (p: ImportProgress) => void,
  ): Promise<void> {
    const companyId = actor.companyId as number;
    const company = await this.org.find(companyId);
    const units = (await this.org.list()).filter((u) => company && u.path.startsWith(company.path) && u.kind !== 'company');
    const ctx = {
      classes: await this.reference.classes(),
      unit: (s: string) => units.find((u) => u.code === s || u.name === s)?.id ?? null,
      now: this.clock(),
    };
    // Validate every row first: the report lists all problems, and all-or-nothing knows before writing anything.
    const seen = new Map<string, number>();
    const valid: Array<{ row: number; order: ImportedOrder; policyId: number }> = [];
    for (const r of rows) {
      const { order, problems } = readOrderRow(r.row, r.cells, mapping, ctx);
      if (order && seen.has(order.sourceNumber))
        problems.push({ row: r.row, field: 'number', problem: `same number as row ${seen.get(order.sourceNumber)}` });
      if (order && problems.length === 0) {
        seen.set(order.sourceNumber, r.row);
        // Looked up before any transaction: SQLite has one connection, which the transaction holds.
        valid.push({ row: r.row, order, policyId: (await this.reference.policyAt(new Date(order.intakeAt))).id });
      } else {
        report.problems.push(...problems);
        report.failed++;
      }
    }
    if (opts.allOrNothing) {
      if (report.failed > 0) {
        report.status = 'failed';
        report.processed = rows.length;
        return;
      }
      try {
        // The whole file in one transaction: any failure rolls every row back.
        await this.db.transaction().execute(async (trx) => {
          for (const v of valid) this.record(report, v, await this.insertOrder(actor, jobId, v, trx), opts.dryRun);
          if (opts.dryRun) throw new DryRunRollback();
        });
      } catch (err) {
        if (!(err instanceof DryRunRollback)) {
          report.status = 'failed';
          report.imported = 0;
          report.rows = [];
          report.problems.push({ row: 0, field: '*', problem: `nothing imported: ${err instanceof Error ? err.message : String(err)}` });
        }
      }
      report.processed = rows.length;
      return;
    }
    report.processed = report.failed;
    for (const v of valid) {
      try {
        // One transaction per row: an order is written with its event, unit and key, or not at all.
        await this.db.transaction().execute(async (trx) => {
          this.record(report, v, await this.insertOrder(actor, jobId, v, trx), opts.dryRun);
          if (opts.dryRun) throw new DryRunRollback();
        });
      } catch (err) {
        if (!(err instanceof DryRunRollback)) {
          report.failed++;
          report.problems.push({ row: v.row, field: '*', problem: err instanceof Error ? err.message : String(err) });
        }
      }
      report.processed++;
      if (report.processed % PROGRESS_EVERY === 0) {
        onProgress(report);
        await this.saveProgress(jobId, report, false);
      }
    }
  }

  private record(report: ImportReport, v: { row: number; order: ImportedOrder }, number: string | null, dryRun: boolean): void {
    if (number === null) {
      report.skipped++;
      report.rows.push({ row: v.row, sourceNumber: v.order.sourceNumber, number: null, outcome: 'skipped' });
    } else {
      if (!dryRun) report.imported++;
      report.rows.push({ row: v.row, sourceNumber: v.order.sourceNumber, number, outcome: dryRun ? 'would_import' : 'imported' });
    }
  }

  /** Writes one closed historical order; returns its number, or null when this original number was imported before. */
  private async insertOrder(actor: Actor, jobId: number, v: { order: ImportedOrder; policyId: number }, trx: Trx): Promise<string | null> {
    const o = v.order;
    const companyId = actor.companyId as number;
    const done = await this.jobs.imported(companyId, o.sourceNumber, trx);
    if (done) return null;
    const number = await this.assignNumber(o, trx);
    const renumbered = number !== o.sourceNumber;
    const at = iso(this.clock());
    const isReport = o.kind === 'report';
    const customerId = isReport ? null : ((await this.customers.match(companyId, o.customer, o.intakeAt, trx))?.id ?? null);
    const input = {
      source: 'import',
      jobId,
      sourceNumber: o.sourceNumber,
      number,
      kind: o.kind,
      channel: o.channel,
      classCode: o.classCode,
      unitId: o.unitId,
      intakeAt: o.intakeAt,
      closedAt: o.closedAt,
      verification: o.verification,
      rootCause: o.rootCause,
      satisfaction: o.satisfaction,
    };
    const row = newTicketRow({
      company_id: companyId,
      number,
      kind: o.kind,
      channel: o.channel,
      class_code: o.classCode,
      subject: o.subject,
      description: o.description,
      location: o.location,
      customer_id: customerId,
      customer_name: isReport ? null : o.customer.name,
      customer_phone: isReport ? null : o.customer.phone,
      customer_account: isReport ? null : o.customer.account,
      external_ref: o.externalRef ?? (renumbered ? o.sourceNumber.slice(0, 64) : null),
      grade: o.grade,
      state: 'closed',
      unit_id: o.unitId,
      intake_by: null,
      intake_at: o.intakeAt,
      policy_id: v.policyId,
      // History carries no clocks: its deadlines were kept (or not) in the old system.
      clocks: '{}',
      ...summarize({}, false),
      dispatched_at: o.dispatchedAt,
      replied_at: o.repliedAt,
      approved_at: o.repliedAt,
      revisited_at: o.satisfaction ? o.closedAt : null,
      closed_at: o.closedAt,
      verification: o.verification,
      root_cause: o.rootCause,
      responsibility: o.responsibility,
      responsible_person: o.responsiblePerson,
      reply_text: o.replyText,
      satisfaction: o.satisfaction,
      close_reason: 'completed',
      created_at: o.intakeAt,
      updated_at: at,
    });
    const { ticket } = await createOrder(this.tickets, this.hooks, trx, row, {
      action: 'import',
      actor_id: actor.userId,
      actor_unit_id: actor.unitId,
      to_state: 'closed',
      input,
      at,
    });
    const id = ticket.id;
    await this.tickets.addUnit(id, o.unitId, o.dispatchedAt, trx);
    await this.jobs.recordImported(
      { company_id: companyId, source_number: o.sourceNumber, ticket_id: id, job_id: jobId, imported_at: at },
      trx,
    );
    await this.hooks.run(trx, { before: null, after: ticket, action: 'import', input });
    return number;
  }

  /** Keeps a fitting, free original number (moving our sequence past it), else takes the next free one of the day. */
  private async assignNumber(o: ImportedOrder, trx: Trx): Promise<string> {
    const keep = keepableNumber(o.sourceNumber, o.kind);
    if (keep && !(await this.tickets.numberTaken(o.sourceNumber, trx))) {
      await this.tickets.raiseNumber(o.kind, keep.day, keep.seq, trx);
      return o.sourceNumber;
    }
    const day = shanghaiDate(new Date(o.intakeAt));
    for (;;) {
      const number = await takeOrderNumber(this.tickets, o.kind, day, trx);
      if (!(await this.tickets.numberTaken(number, trx))) return number;
    }
  }

  /** Validates the options of an API or CLI call. */
  static options(q: { dryRun?: unknown; allOrNothing?: unknown }): ImportOptions {
    const flag = (v: unknown, name: string) => {
      if (v === undefined || v === null || v === '' || v === 'false' || v === '0' || v === false) return false;
      if (v === true || v === 'true' || v === '1') return true;
      throw invalidField(name, 'must be true or false');
    };
    return { dryRun: flag(q.dryRun, 'dryRun'), allOrNothing: flag(q.allOrNothing, 'allOrNothing') };
  }
}
