import { describe, expect, it } from 'vitest';
import type { Ticket } from '../db/schema.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { TextRepository } from '../repositories/text.repository.ts';
import type { ReferenceService } from './reference.service.ts';
import { RETRAIN_EVERY_CLOSED, TextService } from './text.service.ts';

/** A text repository that only serves training data and counts how often it was asked. */
function fakeRepo() {
  const calls = { training: 0 };
  const repo = {
    companiesWithClosed: async () => [7],
    trainingSet: async () => {
      calls.training++;
      return [{ kind: 'complaint', class_code: 'outage.repair', subject: '抢修', description: '没人来抢修' }];
    },
  } as unknown as TextRepository;
  return { repo, calls };
}

const closing = (state: string) =>
  ({ before: { state: 'pending_revisit' } as Ticket, after: { company_id: 7, state } as Ticket, action: 'revisit', input: {} }) as const;

describe('TextService model retraining', () => {
  it('trains at the first job pass, then only after enough orders close or an hour passes', async () => {
    let now = Date.parse('2026-11-02T02:00:00Z');
    const { repo, calls } = fakeRepo();
    const s = new TextService(repo, {} as OrgRepository, {} as ReferenceService, () => new Date(now));
    expect((await s.retrainStale()).retrained).toEqual([7]);
    expect((await s.retrainStale()).retrained).toEqual([]);
    for (let i = 0; i < RETRAIN_EVERY_CLOSED - 1; i++) await s.closeCounter({} as never, closing('closed'));
    await s.closeCounter({} as never, closing('pending_revisit'));
    expect((await s.retrainStale()).retrained).toEqual([]);
    await s.closeCounter({} as never, closing('closed'));
    expect((await s.retrainStale()).retrained).toEqual([7]);
    now += 61 * 60_000;
    expect((await s.retrainStale()).retrained).toEqual([7]);
    expect(calls.training).toBe(3);
  });
});
