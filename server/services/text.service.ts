import { classFitsKind, isLeafClass, KINDS, type Kind } from '../../core/taxonomy.ts';
import {
  buildLexicon,
  type ClassSuggestion,
  editedWords,
  type KindSuggestion,
  type Lexicon,
  type NaiveBayesModel,
  suggestClasses,
  suggestKinds,
  trainNaiveBayes,
} from '../domain/text/classify.ts';
import { assessRisk } from '../domain/text/risk.ts';
import { normalize } from '../domain/text/segment.ts';
import { shippedModels } from '../domain/text/shipped-model.ts';
import { jaccard, WordSetCache, wordSet } from '../domain/text/similarity.ts';
import { AppError, invalidField } from '../errors.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { TextRepository } from '../repositories/text.repository.ts';
import type { Scope } from '../repositories/visibility.sql.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { ReferenceService } from './reference.service.ts';
import type { TicketChangeHook } from './ticket-hooks.ts';
import { scopeOf } from './workflow.service.ts';

export interface SuggestInput {
  kind: Kind;
  description: string;
  subject?: string;
  location?: string;
  phone?: string;
  account?: string;
}

const DAY = 86_400_000;
const SIMILAR_WINDOW_DAYS = 7;
const SIMILAR_AT = 0.3;
const REPEAT_WINDOW_DAYS = 30;
/** Retrain a company's model after this many newly closed orders (or when it is older than MODEL_MAX_AGE_MS). */
export const RETRAIN_EVERY_CLOSED = 25;
const MODEL_MAX_AGE_MS = 3_600_000;
const TRAINING_LIMIT = 20_000;

interface CompanyModel {
  model: NaiveBayesModel;
  trainedAt: number;
  closedSince: number;
}

/**
 * Help for the agent on the phone: class and unit suggestion, duplicates and repeats, escalation
 * risk; and the admin-edited lexicon and place → 供电所 map behind them.
 */
export class TextService {
  private readonly models = new Map<number, CompanyModel>();
  /** Word sets of the recent orders that new texts are compared with for duplicates. */
  private readonly wordSets = new WordSetCache();

  constructor(
    private readonly text: TextRepository,
    private readonly org: OrgRepository,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
  ) {}

  /** Counts closed orders per company so that the retrain job knows when a model is stale. */
  readonly closeCounter: TicketChangeHook = async (_trx, { before, after }) => {
    if (after.state === 'closed' && before?.state !== 'closed') {
      const m = this.models.get(after.company_id);
      if (m) m.closedSince++;
    }
  };

  /** Trains (or retrains) the class model of a company from its own closed orders. */
  async train(companyId: number): Promise<NaiveBayesModel> {
    const rows = await this.text.trainingSet(companyId, TRAINING_LIMIT);
    const model = trainNaiveBayes(
      rows.map((r) => ({ text: `${r.subject}\n${r.description}`, kind: r.kind, classCode: r.class_code as string })),
    );
    this.models.set(companyId, { model, trainedAt: this.clock().getTime(), closedSince: 0 });
    return model;
  }

  /** The job: retrains every company model that is missing, older than an hour or behind by enough closed orders. */
  async retrainStale(): Promise<{ retrained: number[] }> {
    // The shipped models train on the first pass, so that the first intake does not wait for them.
    this.warm();
    const retrained: number[] = [];
    for (const companyId of await this.text.companiesWithClosed()) {
      const m = this.models.get(companyId);
      const stale = !m || m.closedSince >= RETRAIN_EVERY_CLOSED || this.clock().getTime() - m.trainedAt > MODEL_MAX_AGE_MS;
      if (stale) {
        await this.train(companyId);
        retrained.push(companyId);
      }
    }
    return { retrained };
  }

  private async modelOf(companyId: number): Promise<NaiveBayesModel> {
    return this.models.get(companyId)?.model ?? (await this.train(companyId));
  }

  /** The company's effective lexicon: the defaults with its admins' edits. */
  async lexiconOf(companyId: number): Promise<Lexicon> {
    return (await this.lexiconWithEdits(companyId)).lexicon;
  }

  private async lexiconWithEdits(companyId: number): Promise<{ lexicon: Lexicon; edited: Set<string> }> {
    const edits = (await this.text.lexiconEdits(companyId)).map((e) => ({ classCode: e.class_code, word: e.word, weight: e.weight }));
    return { lexicon: buildLexicon(edits), edited: editedWords(edits) };
  }

  private async candidates(kind: Kind): Promise<string[]> {
    const classes = await this.reference.classes();
    return classes.filter((c) => c.active && isLeafClass(c.code, classes) && classFitsKind(kind, c)).map((c) => c.code);
  }

  /** The top classes for a text in the company (shipped model + lexicon + the company's own model). */
  async classify(companyId: number | null, text: string, kind: Kind, top = 3): Promise<ClassSuggestion[]> {
    const { lexicon, edited } = companyId ? await this.lexiconWithEdits(companyId) : { lexicon: buildLexicon(), edited: new Set<string>() };
    const model = companyId ? await this.modelOf(companyId) : null;
    const candidates = await this.candidates(kind);
    return suggestClasses({ text, kind, candidates, lexicon, edited, model, shipped: shippedModels().classes, top });
  }

  /** The likely kinds of a text (投诉/举报/意见/建议/表扬), best first, with the words behind them. */
  suggestKind(text: string): KindSuggestion[] {
    const shipped = shippedModels();
    return suggestKinds(text, shipped.kinds, 3, shipped.classes);
  }

  /** Trains the shipped models now rather than on the first suggestion (start-up). */
  warm(): void {
    shippedModels();
  }

  /** The unit that probably serves the customer: their earlier orders' 供电所, else the place → unit map. */
  async suggestUnit(scope: Scope, companyId: number, input: { location?: string; phone?: string; account?: string }) {
    const last = await this.text.lastUnitOf(scope, companyId, input);
    if (last) return { id: last.id, name: last.name, reason: `客户历史工单 ${last.number} 由该单位处理` };
    if (!input.location) return null;
    const loc = normalize(input.location);
    const areas = await this.text.areas(companyId);
    // The longest matching place wins (滨河小区 before 城关镇).
    const hit = areas.filter((a) => loc.includes(normalize(a.place))).sort((a, b) => b.place.length - a.place.length)[0];
    return hit ? { id: hit.unit_id, name: hit.unit_name, reason: `地址含“${hit.place}”` } : null;
  }

  /** Everything the intake screen shows beside the form: classes, unit, risk, duplicates and repeats. */
  async suggest(actor: Actor, input: SuggestInput) {
    requirePermission(actor, 'ticket.intake');
    if (!KINDS.some((k) => k.code === input.kind)) throw invalidField('kind', 'unknown kind');
    const companyId = actor.companyId;
    if (companyId === null) throw new AppError('forbidden', 'Your unit belongs to no company');
    const now = this.clock().getTime();
    const text = `${input.subject ?? ''}\n${input.description}`;
    const who = { phone: input.phone, account: input.account };
    const scope = scopeOf(actor);
    const [classes, unit, recent, open, candidates] = await Promise.all([
      this.classify(companyId, text, input.kind),
      this.suggestUnit(scope, companyId, input),
      this.text.countRecent(companyId, who, iso(new Date(now - REPEAT_WINDOW_DAYS * DAY))),
      this.text.openOrdersOf(scope, companyId, who),
      this.text.recentInScope(scope, companyId, iso(new Date(now - SIMILAR_WINDOW_DAYS * DAY)), 500),
    ]);
    const risk = assessRisk({ text, recentOrders: recent });
    const mine = wordSet(text);
    const openIds = new Set(open.map((o) => o.id));
    const areas = unit ? await this.text.areas(companyId) : [];
    const sameUnit = (c: { unit_id: number | null; location: string | null }) => {
      if (!unit) return true;
      if (c.unit_id !== null) return c.unit_id === unit.id;
      const loc = normalize(c.location ?? '');
      return areas.some((a) => a.unit_id === unit.id && loc.includes(normalize(a.place)));
    };
    const similar = candidates
      .filter((c) => !openIds.has(c.id) && sameUnit(c))
      .map((c) => ({ c, score: jaccard(mine, this.wordSets.of(c.id, `${c.subject}\n${c.description}`)) }))
      .filter((x) => x.score >= SIMILAR_AT)
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);
    return {
      classes,
      kinds: this.suggestKind(text),
      unit,
      risk: {
        score: risk.score,
        level: risk.level,
        reasons: risk.reasons,
        flagged: risk.flagged,
        suggestGrade: risk.suggestGrade,
        card: risk.card,
      },
      duplicates: {
        openOrders: open.map((o) => ({
          id: o.id,
          number: o.number,
          state: o.state,
          subject: o.subject,
          classCode: o.class_code,
          createdAt: o.created_at,
          offer: 'urge' as const,
          hint: `该客户已有未办结工单 ${o.number}，建议催办原工单而非新建`,
        })),
        similar: similar.map(({ c, score }) => ({
          id: c.id,
          number: c.number,
          state: c.state,
          subject: c.subject,
          createdAt: c.created_at,
          similarity: Math.round(score * 100) / 100,
          offer: 'link' as const,
          hint: `7日内同一供电所有相似工单 ${c.number}，可关联`,
        })),
      },
    };
  }

  /** The effective lexicon per class and the admin edits behind it. */
  async lexicon(actor: Actor) {
    if (!actor.roles.includes('admin')) requirePermission(actor, 'ticket.intake');
    const companyId = this.companyOf(actor);
    const [lex, edits] = await Promise.all([this.lexiconOf(companyId), this.text.lexiconEdits(companyId)]);
    return {
      classes: Object.fromEntries([...lex.entries()].map(([code, ws]) => [code, Object.fromEntries(ws)])),
      edits: edits.map((e) => ({ id: e.id, classCode: e.class_code, word: e.word, weight: e.weight, updatedAt: e.updated_at })),
    };
  }

  /** Adds or reweighs a word of a class (weight 0 switches a default word off). */
  async setLexiconWord(actor: Actor, input: { classCode: string; word: string; weight: number }) {
    requirePermission(actor, 'admin.taxonomy');
    const classes = await this.reference.classes();
    if (!classes.some((c) => c.code === input.classCode)) throw invalidField('classCode', 'unknown class');
    const word = normalize(input.word.trim());
    if (!word) throw invalidField('word', 'is empty');
    await this.text.upsertLexicon({
      company_id: this.companyOf(actor),
      class_code: input.classCode,
      word,
      weight: input.weight,
      updated_by: actor.userId,
      updated_at: iso(this.clock()),
    });
  }

  async deleteLexiconEdit(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'admin.taxonomy');
    if (!(await this.text.deleteLexicon(this.companyOf(actor), id))) throw new AppError('not_found', `Lexicon edit ${id} not found`);
  }

  /** The place → 供电所 map of the actor's company. */
  async areas(actor: Actor) {
    if (!actor.roles.includes('admin')) requirePermission(actor, 'ticket.intake');
    const rows = await this.text.areas(this.companyOf(actor));
    return rows.map((r) => ({ id: r.id, place: r.place, unitId: r.unit_id, unitName: r.unit_name }));
  }

  async setArea(actor: Actor, input: { place: string; unitId: number }) {
    requirePermission(actor, 'admin.org');
    const companyId = this.companyOf(actor);
    const unit = await this.org.find(input.unitId);
    if (!unit || unit.company_id !== companyId) throw invalidField('unitId', 'no such unit in your company');
    const place = input.place.trim();
    if (!place) throw invalidField('place', 'is empty');
    await this.text.upsertArea({ company_id: companyId, place, unit_id: unit.id, created_by: actor.userId, created_at: iso(this.clock()) });
  }

  async deleteArea(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'admin.org');
    if (!(await this.text.deleteArea(this.companyOf(actor), id))) throw new AppError('not_found', `Area ${id} not found`);
  }

  /** Seeds the place map of a company (the demo organisation's villages and towns). */
  async seedAreas(companyId: number, entries: ReadonlyArray<{ place: string; unitId: number }>): Promise<void> {
    const at = iso(this.clock());
    for (const e of entries)
      await this.text.upsertArea({ company_id: companyId, place: e.place, unit_id: e.unitId, created_by: null, created_at: at });
  }

  private companyOf(actor: Actor): number {
    if (actor.companyId === null) throw new AppError('forbidden', 'Your unit belongs to no company');
    return actor.companyId;
  }
}
