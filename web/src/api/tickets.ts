import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ActionCode } from '../../../core/workflow/index.ts';
import { api } from './client.ts';
import type {
  Attachment,
  CustomerHistory,
  DeadlinePreview,
  IdentityRevealed,
  IntakeResponse,
  QueueCounts,
  TicketDetail,
  TicketPage,
} from './types.ts';

/** Query parameters of GET /tickets (as kept in the page URL). */
export type ListParams = Record<string, string | undefined>;

export function useQueues(enabled = true) {
  return useQuery({
    queryKey: ['queues'],
    queryFn: async () => (await api<{ queues: QueueCounts }>('/tickets/queues')).queues,
    enabled,
    refetchInterval: 60_000,
  });
}

export function useTicketList(params: ListParams) {
  return useQuery({
    queryKey: ['tickets', params],
    queryFn: ({ signal }) => api<TicketPage>('/tickets', { query: params, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useTicket(id: number) {
  return useQuery({
    queryKey: ['ticket', id],
    queryFn: () => api<TicketDetail>(`/tickets/${id}`),
    enabled: Number.isSafeInteger(id) && id > 0,
    retry: (n, e) => n < 2 && !['not_found', 'forbidden', 'unauthenticated'].includes((e as { code?: string }).code ?? ''),
  });
}

/** Runs one workflow action with the version the user saw; the detail cache takes the answer. */
export function useTicketAction(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { action: ActionCode; version: number; fields: Record<string, unknown> }) =>
      api<TicketDetail>(`/tickets/${id}/actions/${v.action}`, { method: 'POST', body: { version: v.version, ...v.fields } }),
    onSuccess: (detail) => {
      qc.setQueryData(['ticket', id], detail);
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: ['queues'] });
    },
  });
}

/** One action on any order (bulk dispatch); the caller refreshes lists afterwards. */
export function actOn(id: number, action: ActionCode, version: number, fields: Record<string, unknown>) {
  return api<TicketDetail>(`/tickets/${id}/actions/${action}`, { method: 'POST', body: { version, ...fields } });
}

export function intake(body: unknown, idempotencyKey: string) {
  return api<IntakeResponse>('/tickets', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });
}

export function lookupCustomer(q: { phone?: string; account?: string }) {
  return api<CustomerHistory>('/customers/lookup', { query: q });
}

export function previewDeadlines(kind: string, channel: string, at: string) {
  return api<DeadlinePreview>('/deadlines/preview', { query: { kind, channel, at } });
}

export function revealIdentity(id: number, reason: string) {
  return api<IdentityRevealed>(`/tickets/${id}/reveal-identity`, {
    method: 'POST',
    body: { reason },
  });
}

export function uploadAttachment(id: number, file: File) {
  const form = new FormData();
  form.append('file', file, file.name);
  return api<{ attachment: Attachment }>(`/tickets/${id}/attachments`, { method: 'POST', body: form });
}

export function findByNumber(number: string) {
  return api<TicketPage>('/tickets', { query: { number, limit: 5 } });
}
