import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrderAnswer } from '../../../core/outage.ts';
import { api } from './client.ts';

/** An outage event (停电事件) as GET /outages answers it. */
export interface Outage {
  id: number;
  number: string;
  kind: 'planned' | 'fault';
  title: string;
  cause: string;
  areas: string[];
  feeders: string[];
  units: Array<{ id: number; code: string; name: string }>;
  startAt: string;
  expectedRestoreAt: string | null;
  restoredAt: string | null;
  status: 'active' | 'restored' | 'cancelled';
  note: string | null;
  orderCount: number;
  /** Only from /outages/active: why it concerns the caller, and whether it has begun. */
  matchedBy?: string[];
  started?: boolean;
}

export interface LinkedOrder {
  id: number;
  number: string;
  subject: string;
  state: string;
  location: string | null;
  intake_at: string;
  reply_due_at: string | null;
}

export type { OrderAnswer } from '../../../core/outage.ts';

export interface OutageInput {
  kind: 'planned' | 'fault';
  title: string;
  cause: string;
  unitIds: number[];
  areas?: string[];
  feeders?: string[];
  startAt: string;
  expectedRestoreAt?: string | null;
}

export interface AnswerInput {
  rootCause: string;
  verification?: string;
  responsibility?: string;
  replyText?: string;
  contactNote?: string | null;
}

/** A rendered reply script (话术): four sections with the order's values filled in. */
export interface RenderedScript {
  scriptId: number;
  classCode: string;
  title: string;
  sections: Array<{ code: string; zh: string; en: string; text: string; missing: string[] }>;
}

export function useOutages(status?: string) {
  return useQuery({
    queryKey: ['outages', status ?? ''],
    queryFn: async () => (await api<{ items: Outage[] }>('/outages', { query: { status } })).items,
  });
}

export function useOutage(id: number | null) {
  return useQuery({
    queryKey: ['outage', id],
    queryFn: () => api<{ outage: Outage; orders: LinkedOrder[] }>(`/outages/${id}`),
    enabled: id !== null,
  });
}

/** The active outages that concern a caller (intake banner); asks only once there is an address or a unit. */
export function useActiveOutages(location: string | undefined, unitId?: number) {
  const enabled = Boolean((location && location.trim().length >= 2) || unitId);
  return useQuery({
    queryKey: ['outages-active', location ?? '', unitId ?? null],
    queryFn: async () => (await api<{ items: Outage[] }>('/outages/active', { query: { location, unitId } })).items,
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useOutageStats() {
  return useQuery({ queryKey: ['outage-stats'], queryFn: () => api<Record<string, unknown>>('/outages/stats') });
}

export function useCreateOutage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: OutageInput) => api<{ outage: Outage }>('/outages', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['outages'] }),
  });
}

export function useCancelOutage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api(`/outages/${id}`, { method: 'PATCH', body: { status: 'cancelled' } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['outages'] }),
  });
}

/** Restore with the bulk answer: one call answers every linked order the user may act on. */
export function useRestoreOutage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; answer?: AnswerInput }) =>
      api<{ outage: Outage; orders: LinkedOrder[]; results: OrderAnswer[]; notVisible: number }>(`/outages/${v.id}/restore`, {
        method: 'POST',
        body: v.answer ? { answer: v.answer } : {},
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['outages'] });
      void qc.invalidateQueries({ queryKey: ['outage'] });
    },
  });
}

export function useAnswerOutage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: number; answer: AnswerInput }) =>
      api<{ results: OrderAnswer[]; notVisible: number }>(`/outages/${v.id}/answer`, { method: 'POST', body: v.answer }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['outage'] }),
  });
}

/**
 * The reply script for a class before the order exists (intake), dated for the kind and channel at hand (no kind: no
 * dates), or for an order.
 */
export function useScript(q: {
  classCode?: string | null;
  kind?: string | null;
  channel?: string | null;
  externalDueAt?: string | null;
  orderId?: number | null;
}) {
  const path = q.orderId ? `/scripts/for-order/${q.orderId}` : '/scripts';
  const query: Record<string, string> = { class: q.classCode || '*' };
  if (q.kind) query.kind = q.kind;
  if (q.channel) query.channel = q.channel;
  if (q.externalDueAt) query.externalDueAt = q.externalDueAt;
  return useQuery({
    queryKey: ['script', q.orderId ?? null, query],
    queryFn: () => api<RenderedScript>(path, q.orderId ? {} : { query }),
    enabled: Boolean(q.orderId || q.classCode !== undefined),
    staleTime: 60_000,
  });
}
