/**
 * What the server answers for each linked order when an outage is restored or answered in bulk
 * (POST /outages/:id/restore, /outages/:id/answer); shared by the service and the web page.
 */
export interface OrderAnswer {
  ticketId: number;
  number: string;
  from: string;
  to: string;
  actions: string[];
  /** answered: replied and waiting for review; advanced: some steps done; skipped: nothing to do; failed: rolled back. */
  outcome: 'answered' | 'advanced' | 'skipped' | 'failed';
  reason: string | null;
  error: { code: string; message: string } | null;
}
