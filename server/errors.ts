/** The catalogue of stable error codes the API answers with, and their HTTP statuses. */
export const ERROR_CATALOGUE = {
  validation_failed: { status: 400, message: 'The request is invalid' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON' },
  unauthenticated: { status: 401, message: 'Login required' },
  invalid_credentials: { status: 401, message: 'Wrong username or password' },
  weak_password: { status: 400, message: 'The password is too weak' },
  password_change_required: { status: 403, message: 'Change your password before doing anything else' },
  account_locked: { status: 423, message: 'Too many failed logins; the account is locked for a while' },
  forbidden: { status: 403, message: 'You are not allowed to do this' },
  customer_lookup_forbidden: {
    status: 403,
    message: 'Your role sees customer data masked and may not look orders up by phone or account number',
  },
  csrf_rejected: { status: 403, message: 'Cross-site request rejected' },
  not_found: { status: 404, message: 'Not found' },
  conflict: { status: 409, message: 'Conflict' },
  ticket_changed: { status: 409, message: 'The order was changed meanwhile; reload it' },
  transition_not_allowed: { status: 409, message: 'This action is not allowed in the current state' },
  idempotency_conflict: { status: 409, message: 'The Idempotency-Key was already used with another request body' },
  unit_has_orders: { status: 409, message: 'The unit has work orders and cannot be deleted; deactivate it instead' },
  unit_has_children: { status: 409, message: 'The unit has sub-units' },
  guard_failed: { status: 409, message: 'A precondition of this action is not met' },
  routing_excluded: { status: 409, message: 'This report names that unit; it cannot be dispatched there' },
  payload_too_large: { status: 413, message: 'The request body is too large' },
  unsupported_media_type: { status: 415, message: 'This file type is not accepted' },
  rate_limited: { status: 429, message: 'Too many requests; try again later' },
  internal_error: { status: 500, message: 'Internal error' },
  unavailable: { status: 503, message: 'Service unavailable' },
  database_unavailable: { status: 503, message: 'The database is not reachable; retry shortly' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An expected failure with a stable code; the error handler turns it into `{ error: { code, message, details } }`. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.status = ERROR_CATALOGUE[code].status;
  }
}

/** A 400 naming the offending field. */
export function invalidField(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, { field });
}
