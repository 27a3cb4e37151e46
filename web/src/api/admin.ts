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
