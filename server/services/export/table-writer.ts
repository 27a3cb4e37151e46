import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/** `datetime`: the row holds a UTC ISO instant; Excel gets a real date in Asia/Shanghai wall time, CSV its text. */
export type ColumnType = 'text' | 'int' | 'percent' | 'number' | 'datetime';

/** One column of an exported table: Chinese heading and how to format its values. */
export interface ExportColumn {
  key: string;
  zh: string;
  type?: ColumnType;
  width?: number;
}

export type ExportRow = Record<string, string | number | null | undefined>;

export interface ExportSheet {
  name: string;
  columns: readonly ExportColumn[];
  rows: AsyncIterable<ExportRow> | Iterable<ExportRow>;
}

export type ExportFormat = 'xlsx' | 'csv';

const NUM_FMT: Record<ColumnType, string | undefined> = {
  text: undefined,
  int: '#,##0',
  percent: '0.0%',
  number: '#,##0.00',
  datetime: 'yyyy-mm-dd hh:mm',
};

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** A UTC ISO instant as Asia/Shanghai wall time `2026-11-27 15:20` (CSV), or null when it is no time. */
function shanghaiText(v: string): string | null {
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ') : null;
}

/**
 * A UTC ISO instant as an Excel date: Excel dates carry no zone and exceljs writes a Date's UTC fields, so the
 * instant is moved by the Shanghai offset to show Shanghai wall time (the inverse of reading one, excelWallTime).
 */
function excelDate(v: string): Date | null {
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms + SHANGHAI_OFFSET_MS) : null;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** `attachment; filename*=…` for a Chinese file name. */
export function contentDisposition(base: string, format: ExportFormat): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(`${base}.${format}`)}`;
}

function csvCell(v: string | number | null | undefined, type: ColumnType): string {
  if (v === null || v === undefined || v === '') return '';
  if (type === 'datetime' && typeof v === 'string') return shanghaiText(v) ?? csvCell(v, 'text');
  let s = type === 'percent' && typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v);
  // A leading = + - @ would be run as a formula by Excel (CSV injection); prefix a quote.
  if (/^[=+\-@]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

async function writeCsv(out: PassThrough, sheets: readonly ExportSheet[]): Promise<void> {
  const write = async (chunk: string) => {
    // Respect backpressure so a large export keeps constant memory.
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  await write('\ufeff');
  let first = true;
  for (const sheet of sheets) {
    if (!first) await write(`\r\n${csvCell(sheet.name, 'text')}\r\n`);
    first = false;
    await write(`${sheet.columns.map((c) => csvCell(c.zh, 'text')).join(',')}\r\n`);
    for await (const row of sheet.rows) await write(`${sheet.columns.map((c) => csvCell(row[c.key], c.type ?? 'text')).join(',')}\r\n`);
  }
  out.end();
}

async function writeXlsx(out: PassThrough, sheets: readonly ExportSheet[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({
      header: c.zh,
      key: c.key,
      width: c.width ?? Math.max(10, c.zh.length * 2 + 2),
      ...(NUM_FMT[c.type ?? 'text'] ? { style: { numFmt: NUM_FMT[c.type ?? 'text'] } } : {}),
    }));
    ws.getRow(1).font = { bold: true };
    let n = 0;
    const dateKeys = sheet.columns.filter((c) => c.type === 'datetime').map((c) => c.key);
    for await (const row of sheet.rows) {
      if (dateKeys.length === 0) ws.addRow(row).commit();
      else {
        const cells: Record<string, string | number | Date | null | undefined> = { ...row };
        for (const k of dateKeys) {
          const v = row[k];
          cells[k] = typeof v === 'string' && v !== '' ? (excelDate(v) ?? v) : null;
        }
        ws.addRow(cells).commit();
      }
      // Let the zip stream drain now and then so memory stays flat on long exports.
      if (++n % 1000 === 0 && out.writableNeedDrain) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
    ws.commit();
  }
  await wb.commit();
}

/** Streams sheets as .xlsx (exceljs streaming writer) or CSV (UTF-8 with BOM, one block per sheet). */
export function streamTables(format: ExportFormat, sheets: readonly ExportSheet[]): Readable {
  const out = new PassThrough();
  const job = format === 'csv' ? writeCsv(out, sheets) : writeXlsx(out, sheets);
  job.catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
