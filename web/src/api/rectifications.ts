import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RectificationState } from '../../../core/rectification.ts';
import { api } from './client.ts';

/** A rectification order 整改单 as the API answers it. */
export interface Rectification {
  id: number;
  number: string;
  unitId: number;
  unitName: string;
  source: 'order' | 'orders' | 'figure';
  sourceFilter: Record<string, unknown> | null;
  classCode: string | null;
  rootCause: string | null;
  problem: string;
  measures: string;
  deadlineDays: number;
  dueAt: string;
  state: RectificationState;
  stateLabel: { zh: string; en: string };
  response: string | null;
  effectMonths: number;
  effectDueAt: string | null;
  effect: EffectFigures | null;
  effectVerdict: 'effective' | 'ineffective' | null;
  warned: boolean;
  overdue: boolean;
  version: number;
  createdAt: string;
  submittedAt: string | null;
  verifiedAt: string | null;
  closedAt: string | null;
}

export interface EffectPeriod {
  from: string;
  to: string;
  count: number;
  ratePer10kPerMonth: number | null;
}

/** The cause's complaints before raising and after verification. */
export interface EffectFigures {
  before: EffectPeriod;
  after: EffectPeriod;
  customers: number;
  verdict: 'effective' | 'ineffective';
  /** false while the after-period still runs (a preview). */
  final?: boolean;
}

export interface RectificationDetail {
  rectification: Rectification;
  can: { submit: boolean; evidence: boolean; verify: boolean; effectCheck: boolean };
  orders: Array<{ id: number; number: string; subject: string; state: string; class_code: string | null; verification: string | null }>;
  withheld: { count: number; label: { zh: string; en: string } | null };
  events: Array<{ action: string; note: string | null; at: string; actorName: string }>;
  files: Array<{ id: number; name: string; mime: string; size: number; createdAt: string }>;
}

export interface RaiseBody {
  unitId: number;
  problem: string;
  measures: string;
  deadlineDays?: number;
  effectMonths?: number;
  ticketIds?: number[];
  classCode?: string | null;
  rootCause?: string | null;
  sourceFilter?: Record<string, unknown> | null;
}

export function useRectifications(filter: { state?: string } = {}) {
  return useQuery({
    queryKey: ['rectifications', filter],
    queryFn: async () => (await api<{ items: Rectification[] }>('/rectifications', { query: filter })).items,
  });
}

export function useRectification(id: number) {
  return useQuery({
    queryKey: ['rectification', id],
    queryFn: () => api<RectificationDetail>(`/rectifications/${id}`),
    enabled: Number.isSafeInteger(id) && id > 0,
    retry: false,
  });
}

/** The effectiveness figures so far (or the recorded result once closed). */
export function useRectificationEffect(id: number, enabled: boolean) {
  return useQuery({
    queryKey: ['rectification-effect', id],
    queryFn: async () => (await api<{ effect: EffectFigures }>(`/rectifications/${id}/effect`)).effect,
    enabled,
  });
}

export function useRaiseRectification() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RaiseBody) => api<RectificationDetail>('/rectifications', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['rectifications'] }),
  });
}

type Step =
  | { kind: 'submit'; version: number; response: string }
  | { kind: 'verify'; version: number; result: 'pass' | 'send_back'; note?: string }
  | { kind: 'effect-check' };

/** One step of the cycle: the unit submits, the issuer verifies, the effect check closes it. */
export function useRectificationStep(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (step: Step) => {
      const { kind, ...body } = step;
      return api<RectificationDetail>(`/rectifications/${id}/${kind}`, { method: 'POST', body });
    },
    onSuccess: (d) => {
      qc.setQueryData(['rectification', id], d);
      void qc.invalidateQueries({ queryKey: ['rectifications'] });
      void qc.invalidateQueries({ queryKey: ['rectification-effect', id] });
    },
  });
}

/** Uploads one evidence file (multipart field `file`) through the shared file store. */
export function uploadEvidence(id: number, file: File) {
  const form = new FormData();
  form.append('file', file);
  return api<{ file: { id: number; name: string } }>(`/rectifications/${id}/evidence`, { method: 'POST', body: form });
}
