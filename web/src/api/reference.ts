import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { OrgUnit, Taxonomy } from './types.ts';

/** Reference data (the class tree as admins keep it); the code lists themselves come from core/. */
export function useTaxonomy(enabled = true) {
  return useQuery({
    queryKey: ['taxonomy'],
    queryFn: () => api<Taxonomy>('/taxonomy'),
    staleTime: 10 * 60_000,
    enabled,
  });
}

/** The organisation tree (flat list). */
export function useOrgUnits() {
  return useQuery({
    queryKey: ['org-units'],
    queryFn: async () => (await api<{ items: OrgUnit[] }>('/org-units')).items,
    staleTime: 10 * 60_000,
  });
}
