import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiUrl } from './client.ts';

/** A drill-down: the query string of the order list that lists the orders behind a figure. */
export type Drill = Record<string, string>;
export type KpiUnit = 'count' | 'percent' | 'per10k' | 'hours';
type Text = { zh: string; en: string };

export interface BoardItem {
  code: string;
  zh: string;
  en: string;
  unit: KpiUnit;
  definition: Text;
  formula: Text & { num: { measure: string; value: number } | null; den: { measure: string; value: number } | null };
  better: 'higher' | 'lower';
  value: number | null;
  previous: number | null;
  target: number | null;
  targetFrom: { id: number; name: string } | null;
  met: boolean | null;
}

export interface KpiBoard {
  range: { from: string; to: string; name: string };
  previous: { from: string; to: string; name: string };
  unit: { id: number; name: string; customers: number };
  drill: Drill;
  items: BoardItem[];
}

export interface Cockpit {
  month: string;
  name: string;
  previous: { name: string };
  unit: { id: number; name: string };
  kpis: Array<BoardItem & { drill: Drill }>;
  orders: { n: number; drill: Drill };
  trend: Array<{ month: string; name: string; n: number; kpis: Record<string, number | null> | null; drill: Drill | null }>;
  units: Array<{
    unit: { id: number; name: string };
    n: number;
    complaintsPer10k: number | null;
    satisfactionRate: number | null;
    drill: Drill;
  }>;
  hotCauses: Array<{ code: string; name: string; n: number; drill: Drill }>;
  regulator: Array<{ channel: string; name: string; n: number; drill: Drill | null }>;
  highRisk: { n: number; drill: Drill };
  overdue: { n: number; drill: Drill; byUnit: Array<{ unit: { id: number; name: string }; n: number; drill: Drill }> };
}

export interface TargetItem {
  code: string;
  zh: string;
  en: string;
  unit: KpiUnit;
  definition: Text;
  better: 'higher' | 'lower';
  target: number | null;
  own: boolean;
  from: { id: number; name: string } | null;
  updatedAt: string | null;
}

export interface TargetChange {
  id: number;
  kpi: string;
  kpiName: string;
  unit: { id: number; name: string };
  oldTarget: number | null;
  newTarget: number | null;
  note: string;
  changedBy: string;
  changedAt: string;
}

export type BoardParams = Record<string, string | undefined>;

export function useKpiBoard(params: BoardParams) {
  return useQuery({
    queryKey: ['kpi-board', params],
    queryFn: ({ signal }) => api<KpiBoard>('/stats/kpi-board', { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export function kpiBoardDownloadUrl(params: BoardParams): string {
  return apiUrl('/stats/kpi-board', { ...params, format: 'xlsx' });
}

export function useCockpit(month: string, orgId?: number) {
  return useQuery({
    queryKey: ['cockpit', month, orgId],
    queryFn: ({ signal }) => api<Cockpit>('/stats/cockpit', { query: { month, orgId: orgId ? String(orgId) : undefined }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useKpiTargets(orgUnitId?: number) {
  return useQuery({
    queryKey: ['kpi-targets', orgUnitId],
    queryFn: () =>
      api<{ unit: { id: number; name: string }; items: TargetItem[] }>('/kpi-targets', {
        query: { orgUnitId: orgUnitId ? String(orgUnitId) : undefined },
      }),
  });
}

export function useTargetHistory() {
  return useQuery({
    queryKey: ['kpi-target-history'],
    queryFn: async () => (await api<{ items: TargetChange[] }>('/kpi-targets/history')).items,
  });
}

/** Sets (target) or removes (null) a unit's target for a KPI; reloads targets, history and every KPI figure. */
export function useSetTarget() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { kpi: string; orgUnitId: number; target: number | null; note: string }) =>
      api(`/kpi-targets/${b.kpi}`, { method: 'PUT', body: { orgUnitId: b.orgUnitId, target: b.target, note: b.note } }),
    onSuccess: () =>
      Promise.all([['kpi-targets'], ['kpi-target-history'], ['kpi-board'], ['cockpit']].map((k) => qc.invalidateQueries({ queryKey: k }))),
  });
}

/** A KPI figure as shown: rates as percentages to one decimal, hours and per-10k to two, a dash for none. */
export function fmtKpi(v: number | null | undefined, unit: KpiUnit): string {
  if (v === null || v === undefined) return '—';
  if (unit === 'percent') return `${(v * 100).toFixed(1)}%`;
  if (unit === 'count') return String(v);
  return v.toFixed(2);
}

/** The order-list link of a drill-down. */
export function drillLink(d: Drill): string {
  return `/tickets?${new URLSearchParams(d).toString()}`;
}
