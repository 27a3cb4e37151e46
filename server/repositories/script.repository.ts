import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, ReplyScriptTable } from '../db/schema.ts';

export type ReplyScriptRow = Selectable<ReplyScriptTable>;

/** The reply-script library (话术). */
export class ScriptRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every script, by class code. */
  list(): Promise<ReplyScriptRow[]> {
    return this.db.selectFrom('reply_scripts').selectAll().orderBy('class_code').execute();
  }

  /** One script by id. */
  find(id: number): Promise<ReplyScriptRow | undefined> {
    return this.db.selectFrom('reply_scripts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The active scripts of the given class codes. */
  forCodes(codes: readonly string[]): Promise<ReplyScriptRow[]> {
    return this.db
      .selectFrom('reply_scripts')
      .selectAll()
      .where('class_code', 'in', [...codes])
      .where('active', '=', 1)
      .execute();
  }

  /** Inserts a script; returns its id. */
  async insert(row: Insertable<ReplyScriptTable>): Promise<number> {
    const r = await this.db.insertInto('reply_scripts').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  /** Changes a script. */
  async update(id: number, set: Updateable<ReplyScriptTable>): Promise<void> {
    await this.db.updateTable('reply_scripts').set(set).where('id', '=', id).execute();
  }

  /** Deletes a script. */
  async delete(id: number): Promise<void> {
    await this.db.deleteFrom('reply_scripts').where('id', '=', id).execute();
  }
}
