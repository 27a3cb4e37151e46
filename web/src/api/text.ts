import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SearchAnswer } from '../../../core/schemas/text.schema.ts';
import type { Kind } from '../../../core/taxonomy.ts';
import { api } from './client.ts';

/** POST /intake/suggest: classes, the kind the text reads as, unit, escalation risk and duplicate offers. */
export interface IntakeSuggestion {
  classes: Array<{ code: string; confidence: number; words: string[] }>;
  kinds: Array<{ code: Kind; confidence: number; words: string[] }>;
  unit: { id: number; name: string; reason: string } | null;
  risk: {
    score: number;
    level: 'low' | 'medium' | 'high';
    reasons: string[];
    flagged: boolean;
    suggestGrade: 'important' | 'major' | null;
    card: string | null;
  };
  duplicates: {
    openOrders: Array<{ id: number; number: string; state: string; subject: string; createdAt: string; offer: 'urge'; hint: string }>;
    similar: Array<{
      id: number;
      number: string;
      state: string;
      subject: string;
      createdAt: string;
      similarity: number;
      offer: 'link';
      hint: string;
    }>;
  };
}

export interface SuggestInput {
  kind: Kind;
  description: string;
  subject?: string;
  location?: string;
  phone?: string;
  account?: string;
}

/** Suggestions for what the agent has typed so far (the caller debounces). */
export function useIntakeSuggestion(input: SuggestInput | null) {
  return useQuery({
    queryKey: ['intake-suggest', input],
    queryFn: ({ signal }) => api<IntakeSuggestion>('/intake/suggest', { method: 'POST', body: input, signal }),
    enabled: input !== null && input.description.trim().length >= 4,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export type { SearchHit } from '../../../core/schemas/text.schema.ts';

export function useSearch(q: string, cursor: string | null) {
  return useQuery({
    queryKey: ['search', q, cursor],
    queryFn: ({ signal }) =>
      api<SearchAnswer>('/search', {
        query: { q, cursor, limit: 20 },
        signal,
      }),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}
