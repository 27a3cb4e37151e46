import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Row types of every table. Timestamps are ISO-8601 UTC strings (`2026-11-27T07:01:26.000Z`, fixed width so
 * that text order is time order on both databases); booleans are 0/1 integers; JSON is text.
 */
export interface Database {
  org_units: OrgUnitTable;
  users: UserTable;
  user_roles: UserRoleTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  classes: ClassTable;
  calendar_overrides: CalendarOverrideTable;
  calendar_years: CalendarYearTable;
  calendar_year_days: CalendarYearDayTable;
  kpi_targets: KpiTargetTable;
  kpi_target_changes: KpiTargetChangeTable;
  time_policies: TimePolicyTable;
  customers: CustomerTable;
  tickets: TicketTable;
  ticket_events: TicketEventTable;
  ticket_units: TicketUnitTable;
  ticket_exclusions: TicketExclusionTable;
  ticket_identities: TicketIdentityTable;
  identity_reveals: IdentityRevealTable;
  ticket_links: TicketLinkTable;
  attachments: AttachmentTable;
  number_sequences: NumberSequenceTable;
  idempotency_keys: IdempotencyKeyTable;
  notifications: NotificationTable;
  job_locks: JobLockTable;
  meta: MetaTable;
  chain_checkpoints: ChainCheckpointTable;
  text_lexicon: TextLexiconTable;
  search_synonyms: SearchSynonymTable;
  area_units: AreaUnitTable;
  reply_scripts: ReplyScriptTable;
  outages: OutageTable;
  outage_units: OutageUnitTable;
  outage_orders: OutageOrderTable;
  import_jobs: ImportJobTable;
  imported_orders: ImportedOrderTable;
  outbox: OutboxTable;
  ticket_contacts: TicketContactTable;
  portal_submissions: PortalSubmissionTable;
  login_throttle: LoginThrottleTable;
  portal_revoked_sessions: PortalRevokedSessionTable;
  rate_limits: RateLimitTable;
  file_blobs: FileBlobTable;
  file_chunks: FileChunkTable;
}

export interface OrgUnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
  /** Materialised path of ids, `/1/4/`, so that a subtree is one `like '/1/%'`. */
  path: string;
  /** The nearest company at or above this unit (itself for a company). */
  company_id: number | null;
  area_type: string;
  customer_count: number;
  active: number;
  created_at: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  unit_id: number;
  phone: string | null;
  password_hash: string;
  active: number;
  must_change_password: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  password_changed_at: string;
}

/** Failed logins of one account name from one client address (the name as typed, known or not). */
export interface LoginThrottleTable {
  username: string;
  source: string;
  /** Attempts counted in the current window, including those still being checked. */
  failures: number;
  /** How many times this pair was locked lately; each lock lasts twice as long as the one before. */
  locks: number;
  locked_until: string | null;
  last_failure_at: string;
}

/** A portal session token ended by its owner before it expired (sha256 of the token). */
export interface PortalRevokedSessionTable {
  token_hash: string;
  expires_at: string;
}

export interface UserRoleTable {
  user_id: number;
  role: string;
}

export interface SessionTable {
  /** sha256 of the cookie value; the cookie itself is never stored. */
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  prefix: string;
  roles: string;
  unit_id: number;
  created_by: number;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ClassTable {
  code: string;
  parent_code: string | null;
  family: string;
  zh: string;
  en: string;
  active: number;
  sort: number;
}

export interface CalendarOverrideTable {
  date: string;
  workday: number;
  note: string;
  created_by: number | null;
  created_at: string;
}

export interface CalendarYearTable {
  year: number;
  note: string;
  created_by: number | null;
  created_at: string;
}

/** A day of an admin-entered year's holiday calendar: a holiday (workday 0) or a weekend make-up working day (1). */
export interface CalendarYearDayTable {
  date: string;
  year: number;
  workday: number;
  name: string;
}

export interface KpiTargetTable {
  kpi: string;
  org_unit_id: number;
  target: number;
  updated_by: number | null;
  updated_at: string;
}

/** Append-only: one row per change of a KPI target. */
export interface KpiTargetChangeTable {
  id: Generated<number>;
  kpi: string;
  org_unit_id: number;
  old_target: number | null;
  new_target: number | null;
  note: string;
  changed_by: number | null;
  changed_by_name: string;
  changed_at: string;
}

export interface TimePolicyTable {
  id: Generated<number>;
  effective_from: string;
  rules: string;
  note: string;
  created_by: number | null;
  created_at: string;
}

export interface CustomerTable {
  id: Generated<number>;
  company_id: number;
  name: string | null;
  phone: string | null;
  account_no: string | null;
  created_at: string;
}

export interface TicketTable {
  id: Generated<number>;
  company_id: number;
  number: string;
  kind: string;
  channel: string;
  class_code: string | null;
  subject: string;
  description: string;
  location: string | null;
  lat: number | null;
  lng: number | null;
  customer_id: number | null;
  customer_name: string | null;
  customer_phone: string | null;
  customer_account: string | null;
  anonymous: number;
  pseudonym: string | null;
  external_ref: string | null;
  external_due_at: string | null;
  grade: string;
  state: string;
  version: number;
  unit_id: number | null;
  assignee_id: number | null;
  intake_by: number | null;
  intake_at: string;
  policy_id: number;
  flag_repeat: number;
  flag_supervised: number;
  flag_risk: number;
  flag_outage: number;
  redo_count: number;
  return_count: number;
  urge_count: number;
  reject_count: number;
  contact_count: number;
  revisit_attempts: number;
  suspend_request: string | null;
  suspended_at: string | null;
  suspended_ms: number;
  unit_approved_by: number | null;
  /** JSON: per clock { start, due, warn, provisional, shiftMs, met, warned, overdue }. */
  clocks: string;
  dispatch_due_at: string | null;
  first_contact_due_at: string | null;
  reply_due_at: string | null;
  promise_due_at: string | null;
  revisit_due_at: string | null;
  /** The earliest due time of a running, unmet clock: the work lists sort by it. */
  next_due_at: string | null;
  /** The earliest warn or due time the sweeper has not yet acted on: its index. */
  next_check_at: string | null;
  warned: number;
  overdue: number;
  dispatched_at: string | null;
  signed_at: string | null;
  first_contact_at: string | null;
  first_contact_on_time: number | null;
  replied_at: string | null;
  reply_on_time: number | null;
  approved_at: string | null;
  promise_on_time: number | null;
  revisited_at: string | null;
  revisit_on_time: number | null;
  closed_at: string | null;
  verification: string | null;
  root_cause: string | null;
  responsibility: string | null;
  responsible_person: string | null;
  reply_text: string | null;
  satisfaction: string | null;
  close_reason: string | null;
  duplicate_of_id: number | null;
  receipt_hash: string | null;
  /** Phone intake without the caller's number: why there is none (the caller refused, withheld number …). */
  no_phone_reason: string | null;
  /** Portal filings: sha256 of the query code (查询码) given to the customer, shown once. */
  query_hash: Generated<string | null>;
  last_event_hash: string;
  created_at: string;
  updated_at: string;
}

export interface TicketEventTable {
  id: Generated<number>;
  ticket_id: number;
  seq: number;
  action: string;
  actor_id: number | null;
  actor_unit_id: number | null;
  from_state: string | null;
  to_state: string;
  input: string;
  at: string;
  prev_hash: string;
  hash: string;
  /** Digest of the order row this event produced; '' on events older than the keyed chain, null until re-keyed. */
  state_digest: string | null;
}

export interface TicketUnitTable {
  ticket_id: number;
  unit_id: number;
  first_at: string;
  /** 1 once the order has left this unit (dispatched elsewhere or returned); the unit still sees it. */
  moved_on: ColumnType<number, number | undefined, number>;
}

export interface TicketExclusionTable {
  ticket_id: number;
  unit_id: number | null;
  user_id: number | null;
}

export interface TicketIdentityTable {
  ticket_id: number;
  ciphertext: string;
  iv: string;
  tag: string;
  created_by: number | null;
}

export interface IdentityRevealTable {
  id: Generated<number>;
  ticket_id: number;
  user_id: number;
  reason: string;
  at: string;
}

export interface TicketLinkTable {
  id: Generated<number>;
  ticket_id: number;
  other_id: number;
  kind: string;
  created_by: number | null;
  created_at: string;
}

export interface AttachmentTable {
  id: Generated<number>;
  ticket_id: number;
  sha256: string;
  size: number;
  mime: string;
  name: string;
  uploaded_by: number | null;
  created_at: string;
}

export interface NumberSequenceTable {
  kind: string;
  day: string;
  last: number;
}

export interface IdempotencyKeyTable {
  actor_key: string;
  key: string;
  body_hash: string;
  ticket_id: number;
  created_at: string;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  ticket_id: number | null;
  kind: string;
  text: string;
  dedupe_key: string | null;
  created_at: string;
  read_at: string | null;
}

export interface JobLockTable {
  name: string;
  owner: string | null;
  locked_until: string | null;
  last_run_at: string | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** A reply script (话术) for a class, or '*' for the generic one (migration 005). */
export interface ReplyScriptTable {
  id: Generated<number>;
  class_code: string;
  title: string;
  empathy: string;
  explanation: string;
  promise: string;
  deescalation: string;
  active: number;
  updated_by: number | null;
  created_at: string;
  updated_at: string;
}

/** An outage event (停电事件); areas and feeders are JSON arrays of text. */
export interface OutageTable {
  id: Generated<number>;
  company_id: number;
  number: string;
  kind: string;
  title: string;
  cause: string;
  areas: string;
  feeders: string;
  start_at: string;
  expected_restore_at: string | null;
  restored_at: string | null;
  status: string;
  note: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface OutageUnitTable {
  outage_id: number;
  unit_id: number;
}

export interface OutageOrderTable {
  outage_id: number;
  ticket_id: number;
  linked_by: number | null;
  linked_at: string;
}

export interface ImportJobTable {
  id: Generated<number>;
  kind: string;
  company_id: number;
  file_name: string;
  status: string;
  dry_run: number;
  total: number;
  processed: number;
  imported: number;
  skipped: number;
  failed: number;
  report: string;
  created_by: number | null;
  created_at: string;
  finished_at: string | null;
}

export interface ImportedOrderTable {
  company_id: number;
  source_number: string;
  ticket_id: number;
  job_id: number | null;
  imported_at: string;
}

/** An admin edit to the default class lexicon (migration 002); weight 0 switches a default word off. */
export interface TextLexiconTable {
  id: Generated<number>;
  company_id: number;
  class_code: string;
  word: string;
  weight: number;
  updated_by: number | null;
  updated_at: string;
}

/** A group of words search treats as one (跳闸/断电), kept by an admin (migration 014); `words` is a JSON array. */
export interface SearchSynonymTable {
  id: Generated<number>;
  company_id: number;
  words: string;
  updated_by: number | null;
  updated_at: string;
}

/** A village, street or town and the 供电所 that serves it (migration 002). */
export interface AreaUnitTable {
  id: Generated<number>;
  company_id: number;
  place: string;
  unit_id: number;
  created_by: number | null;
  created_at: string;
}

export type OrgUnit = Selectable<OrgUnitTable>;
export type User = Selectable<UserTable>;
export type Ticket = Selectable<TicketTable>;
export type NewTicket = Insertable<TicketTable>;
export type TicketUpdate = Updateable<TicketTable>;
export type TicketEvent = Selectable<TicketEventTable>;

/** A message waiting for, or done with, delivery (migration 004). */
export interface OutboxTable {
  id: Generated<number>;
  /** Stable across retries: receivers de-duplicate on it (at-least-once delivery). */
  delivery_id: string;
  channel: string;
  recipient: string;
  template: string;
  subject: string | null;
  body: string;
  ticket_id: number | null;
  dedupe_key: string | null;
  /** pending → sending → sent, or back to pending for a retry, or dead after the last attempt. */
  status: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

/** Contact details for customer messages, sealed (AES-256-GCM); never shown to staff. */
export interface TicketContactTable {
  ticket_id: number;
  ciphertext: string;
  iv: string;
  tag: string;
}

/** One row per portal filing, keyed by a keyed hash of the phone, for the per-phone limit. */
export interface PortalSubmissionTable {
  id: Generated<number>;
  phone_hash: string;
  ticket_id: number;
  at: string;
}

/** A rate-limit counter shared by every node: hits in the window that ends at `expires_at`. */
export interface RateLimitTable {
  key: string;
  hits: number;
  expires_at: string;
}

/** A stored file of the `database` storage, by content hash; its bytes are in `file_chunks`. */
export interface FileBlobTable {
  sha256: string;
  size: number;
  chunks: number;
  created_at: string;
}

export interface FileChunkTable {
  sha256: string;
  seq: number;
  data: Buffer;
}

export type OutboxRow = Selectable<OutboxTable>;

export interface ChainCheckpointTable {
  id: Generated<number>;
  at: string;
  orders: number;
  events: number;
  root: string;
  heads: string | null;
  heads_digest: string;
  signature: string;
}
