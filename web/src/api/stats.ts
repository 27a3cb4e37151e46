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

export interface Rectification {
  id: number;
  number: string;
  unitName: string;
  problem: string;
  dueAt: string;
  state: string;
  stateLabel: { zh: string; en: string };
  overdue: boolean;
  effectVerdict: string | null;
}

export type ReportParams = Record<string, string | undefined>;

export function useReport(code: string, params: ReportParams) {
  return useQuery({
    queryKey: ['stats-report', code, params],
    queryFn: ({ signal }) => api<ReportTable>(`/stats/reports/${code}`, { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useRectifications() {
  return useQuery({
    queryKey: ['rectifications'],
    queryFn: async () => (await api<{ items: Rectification[] }>('/rectifications')).items,
  });
}

/** The download URL of a report in a format (the browser follows it with the session cookie). */
export function reportDownloadUrl(code: string, params: ReportParams, format: 'xlsx' | 'csv'): string {
  return apiUrl(`/stats/reports/${code}`, { ...params, format });
}

export function bulletinUrl(month: string, format: 'html' | 'xlsx'): string {
  return apiUrl('/stats/bulletin', { month, format });
}
