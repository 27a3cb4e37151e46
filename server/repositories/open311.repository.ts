import type { Kysely } from 'kysely';
import type { Database, Ticket } from '../db/schema.ts';
import { type Scope, visibleToScope } from './visibility.sql.ts';

export interface RequestQuery {
  /** null: the public view (orders filed through Open311, never reports). */
  scope: Scope | null;
  numbers?: string[];
  classCode?: string;
  from: string;
  to: string;
  states?: readonly string[];
  limit: number;
}

/** Service requests as Open311 clients query them, scoped in SQL. */
export class Open311Repository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Requests matching the query, newest first. */
  requests(q: RequestQuery): Promise<Ticket[]> {
    let query = this.db
      .selectFrom('tickets')
      .selectAll()
      .orderBy('tickets.created_at', 'desc')
      .orderBy('tickets.id', 'desc')
      .limit(q.limit);
    const scope = q.scope;
    if (scope) query = query.where((eb) => visibleToScope(eb, scope));
    else query = query.where('tickets.channel', '=', 'open311').where('tickets.kind', '!=', 'report');
    if (q.numbers?.length) query = query.where('tickets.number', 'in', q.numbers);
    else query = query.where('tickets.created_at', '>=', q.from).where('tickets.created_at', '<=', q.to);
    if (q.classCode) query = query.where('tickets.class_code', '=', q.classCode);
    if (q.states?.length) query = query.where('tickets.state', 'in', [...q.states]);
    return query.execute();
  }
}
