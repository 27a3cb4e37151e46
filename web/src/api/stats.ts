import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiUrl } from './client.ts';

/** A built-in report as GET /stats/reports/:code answers it. */
export interface ReportTable {
  code: string;
  title: string;
  subtitle: string;
  columns: Array<{ key: string; zh: string; type?: 'text' | 'int' | 'percent' | 'number' }>;
  rows: Array<{
    cells: Record<string, string | number | null>;
    drill?: Record<string, string>;
    cellDrill?: Record<string, Record<string, string>>;
  }>;
}

export type ReportParams = Record<string, string | undefined>;

export function useReport(code: string, params: ReportParams) {
  return useQuery({
    queryKey: ['stats-report', code, params],
    queryFn: ({ signal }) => api<ReportTable>(`/stats/reports/${code}`, { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The download URL of a report in a format (the browser follows it with the session cookie). */
export function reportDownloadUrl(code: string, params: ReportParams, format: 'xlsx' | 'csv'): string {
  return apiUrl(`/stats/reports/${code}`, { ...params, format });
}

export function bulletinUrl(month: string, format: 'html' | 'xlsx'): string {
  return apiUrl('/stats/bulletin', { month, format });
}

/** The monthly bulletin of the reader's company as JSON (units ranked, substantiated cases, rectifications). */
export interface Bulletin {
  title: string;
  month: string;
  units: Array<{
    unitId: number;
    unit: string;
    n: number;
    complaints: number;
    overdue: number;
    satisfactionRate: number | null;
    rankComplaints: number;
    drill: Record<string, string>;
  }>;
  cases: Array<{ id: number; number: string; unit: string; class: string; subject: string; verification: string }>;
  withheldCases: { zh: string; en: string } | null;
}

export function useBulletin(month: string) {
  return useQuery({
    queryKey: ['bulletin', month],
    queryFn: ({ signal }) => api<Bulletin>('/stats/bulletin', { query: { month }, signal }),
    enabled: /^\d{4}-\d{2}$/.test(month),
  });
}
