import type { QueueCode } from '../api/types.ts';

/** The work queues the server counts (GET /tickets/queues), in the order the home page and the lists show them. */
export const ALL_QUEUES = [
  'to_dispatch',
  'to_sign',
  'in_progress',
  'to_review',
  'to_revisit',
  'warned',
  'overdue',
  'supervised',
] as const satisfies readonly QueueCode[];
