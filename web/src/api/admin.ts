import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type { ApiToken, CalendarData, PolicyVersion, User } from './types.ts';

export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: async () => (await api<{ items: User[] }>('/users')).items });
}

export function useApiTokens() {
  return useQuery({ queryKey: ['api-tokens'], queryFn: async () => (await api<{ items: ApiToken[] }>('/api-tokens')).items });
}

export function usePolicies() {
  return useQuery({ queryKey: ['time-policies'], queryFn: async () => (await api<{ items: PolicyVersion[] }>('/time-policies')).items });
}

export function useCalendar() {
  return useQuery({ queryKey: ['calendar'], queryFn: () => api<CalendarData>('/calendar') });
}

type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A write to an admin resource; on success the listed query keys are reloaded. */
export function useAdminWrite<TBody, TResult = unknown>(
  method: Method,
  path: (body: TBody) => string,
  invalidate: string[][],
  send: (body: TBody) => unknown = (b) => b,
) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TBody) => api<TResult>(path(body), { method, body: method === 'DELETE' ? undefined : send(body) }),
    onSuccess: () => Promise.all(invalidate.map((k) => qc.invalidateQueries({ queryKey: k }))),
  });
}

export interface CalendarStatus {
  today: string;
  year: number;
  nextYear: number;
  nextYearCovered: boolean;
  /** The year whose holiday calendar is missing now (this year, or from 1 November next year), or null. */
  missing: number | null;
  warn: boolean;
}

export interface CalendarYearSummary {
  year: number;
  source: 'builtin' | 'admin' | 'none';
  note: string;
  holidays: number;
  makeupDays: number;
}

export interface CalendarYearDay {
  date: string;
  workday: boolean;
  name: string;
}

export interface CalendarYearDetail {
  year: number;
  source: 'builtin' | 'admin' | 'none';
  note: string;
  days: CalendarYearDay[];
}

/** Whether a year's holiday calendar is missing (shown to administrators and leaders as a banner). */
export function useCalendarStatus(enabled: boolean) {
  return useQuery({
    queryKey: ['calendar-status'],
    queryFn: () => api<CalendarStatus>('/calendar/status'),
    enabled,
    staleTime: 10 * 60_000,
  });
}

export function useCalendarYears() {
  return useQuery({
    queryKey: ['calendar-years'],
    queryFn: () => api<{ status: CalendarStatus; years: CalendarYearSummary[] }>('/calendar/years'),
  });
}

export function useCalendarYear(year: number | undefined) {
  return useQuery({
    queryKey: ['calendar-year', year],
    queryFn: () => api<CalendarYearDetail>(`/calendar/years/${year}`),
    enabled: year !== undefined,
  });
}
