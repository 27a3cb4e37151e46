import { createHmac, timingSafeEqual } from 'node:crypto';
import { type ClassDef, classRoot, isLeafClass } from '../../core/taxonomy.ts';
import { ACTIONS, OPEN_STATES, STATE_CODES, STATES, type StateCode } from '../../core/workflow/index.ts';
import type { Ticket } from '../db/schema.ts';
import { customerAccessOf, orderCustomerData } from '../domain/customer-data.ts';
import { AppError } from '../errors.ts';
import { deriveKey } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { Open311Repository } from '../repositories/open311.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { Actor } from './actor.ts';
import type { AuthService } from './auth.service.ts';
import type { IntakeInput, IntakeService } from './intake.service.ts';
import type { ReferenceService } from './reference.service.ts';
import { scopeOf } from './workflow.service.ts';

/** An Open311 error: the HTTP status and the spec's `{code, description}`. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

const GROUPS: Record<string, string> = {
  complaint: '投诉 Complaints',
  report: '举报 Reports',
  general: '意见建议 Opinions and suggestions',
};
const GENERAL_KINDS = [
  { key: 'opinion', name: '意见 Opinion' },
  { key: 'suggestion', name: '建议 Suggestion' },
  { key: 'praise', name: '表扬 Praise' },
] as const;

export type Open311Params = Record<string, string | undefined>;

/**
 * Open311 GeoReport v2 over the work orders: one service per selectable class, grouped by class
 * family; POST requests file orders on the `open311` channel as the API token's actor; requests report status
 * open/closed, the approved reply as status_notes and the reply deadline as expected_datetime.
 */
export class Open311Service {
  private readonly tokenKey: Buffer;

  constructor(
    private readonly repo: Open311Repository,
    private readonly org: OrgRepository,
    private readonly reference: ReferenceService,
    private readonly intake: IntakeService,
    private readonly auth: AuthService,
    private readonly clock: Clock,
    secret: string,
  ) {
    this.tokenKey = deriveKey(secret, 'open311-token');
  }

  /** The service discovery document. */
  discovery(baseUrl: string) {
    return {
      changeset: '2026-11-27T00:00:00Z',
      contact: '95598 供电服务热线',
      key_service: '向系统管理员申请 API 令牌 (api_key = GridVoice API token)',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: baseUrl,
          changeset: '2026-11-27T00:00:00Z',
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  private async leafClasses(): Promise<ClassDef[]> {
    const all = (await this.reference.classes()).filter((c) => c.active);
    return all.filter((c) => isLeafClass(c.code, all));
  }

  /** GET services: one per selectable class. */
  async services() {
    const classes = await this.leafClasses();
    const all = await this.reference.classes();
    return classes.map((c) => {
      const root = classRoot(c.code, all);
      return {
        service_code: c.code,
        service_name: c.zh,
        description: `${c.zh} (${c.en})`,
        metadata: true,
        type: 'realtime',
        keywords: [root?.zh, root?.en, c.en].filter(Boolean).join(', '),
        group: GROUPS[c.family] ?? c.family,
      };
    });
  }

  private async service(code: string | undefined): Promise<ClassDef> {
    if (!code) throw new Open311Error(400, 'service_code was not provided');
    const c = (await this.leafClasses()).find((x) => x.code === code);
    if (!c) throw new Open311Error(404, `service_code ${code} was not found`);
    return c;
  }

  /** GET service definition: the attributes a request of this service takes. */
  async definition(code: string) {
    const c = await this.service(code);
    const attributes: Array<Record<string, unknown>> = [
      {
        variable: true,
        code: 'account',
        datatype: 'string',
        required: false,
        datatype_description: '6–20 digits',
        order: 1,
        description: '户号 Electricity account number (optional)',
        values: [],
      },
    ];
    if (c.family === 'general') {
      attributes.push({
        variable: true,
        code: 'kind',
        datatype: 'singlevaluelist',
        required: true,
        datatype_description: null,
        order: 2,
        description: '类型 Kind of request',
        values: GENERAL_KINDS.map((k) => ({ key: k.key, name: k.name })),
      });
    }
    return { service_code: c.code, attributes };
  }

  private async actorFor(apiKey: string | undefined): Promise<Actor> {
    if (!apiKey) throw new Open311Error(403, 'api_key was not provided');
    const actor = await this.auth.fromToken(apiKey);
    if (!actor) throw new Open311Error(403, 'Invalid api_key received -- cannot proceed');
    return actor;
  }

  /** A token that names the request (tokens/{token}); the requests are realtime, so it resolves at once. */
  private tokenFor(number: string): string {
    return `${number}-${createHmac('sha256', this.tokenKey).update(number).digest('hex').slice(0, 16)}`;
  }

  /** POST requests: files one order as the token's actor. */
  async create(p: Open311Params, attributes: Record<string, string>) {
    const actor = await this.actorFor(p.api_key);
    const c = await this.service(p.service_code);
    const lat = p.lat !== undefined && p.lat !== '' ? Number(p.lat) : null;
    const lng = p.long !== undefined && p.long !== '' ? Number(p.long) : null;
    if (
      (lat === null) !== (lng === null) ||
      (lat !== null && (!Number.isFinite(lat) || Math.abs(lat) > 90)) ||
      (lng !== null && (!Number.isFinite(lng) || Math.abs(lng) > 180))
    )
      throw new Open311Error(400, 'lat and long must both be given as decimal degrees');
    if (lat === null && !p.address_string && !p.address_id)
      throw new Open311Error(400, 'A location is required: lat & long, address_string or address_id');
    const description = (p.description ?? '').trim();
    if (description.length < 2 || description.length > 4000) throw new Open311Error(400, 'description is required (2 to 4000 characters)');
    const kind = c.family === 'complaint' ? 'complaint' : c.family === 'report' ? 'report' : attributes.kind;
    if (!kind || !['complaint', 'report', 'opinion', 'suggestion', 'praise'].includes(kind))
      throw new Open311Error(400, 'attribute[kind] is required for this service: opinion, suggestion or praise');
    const account = attributes.account || null;
    if (account && !/^\d{6,20}$/.test(account)) throw new Open311Error(400, 'attribute[account] must be 6 to 20 digits');
    const name = [p.last_name, p.first_name].filter(Boolean).join('') || null;
    const phone = p.phone || null;
    const input: IntakeInput = {
      kind: kind as IntakeInput['kind'],
      channel: 'open311',
      classCode: c.code,
      description,
      location: p.address_string || (p.address_id ? `address_id ${p.address_id}` : null),
      lat,
      lng,
      ...(kind === 'report' ? { reporter: { name, phone, contact: p.email || null } } : { customer: { name, phone, account } }),
    };
    try {
      const r = await this.intake.intake(actor, input, null);
      return [
        {
          service_request_id: r.ticket.number,
          token: this.tokenFor(r.ticket.number),
          service_notice: '已受理，处理结果将通过本接口发布',
          account_id: null,
        },
      ];
    } catch (err) {
      if (err instanceof AppError) throw new Open311Error(err.status === 403 ? 403 : 400, err.message);
      throw err;
    }
  }

  /** GET tokens/{token}. */
  async token(token: string) {
    const i = token.lastIndexOf('-');
    const number = i > 0 ? token.slice(0, i) : '';
    const expected = number ? this.tokenFor(number) : '';
    if (!number || expected.length !== token.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(token)))
      throw new Open311Error(404, `token ${token} was not found`);
    return [{ service_request_id: number, token }];
  }

  /**
   * One request as a client may see it. With an api_key: the text, the approved reply and the customer's address
   * and coordinates as the token's roles allow (the one masking policy). Without one, only what a public tracker
   * may show: the class, the status, the dates and the coarse area (the responsible unit, or the company before
   * dispatch); no address, no coordinates, no text, no reply.
   */
  private view(t: Ticket, actor: Actor | null, classes: Map<string, string>, units: Map<number, string>) {
    const state = t.state as StateCode;
    // The approved reply only: after review, and not re-opened since (a redo hides it until approved again).
    const replied =
      t.approved_at !== null &&
      ((ACTIONS.revisit.from as readonly StateCode[]).includes(state) || (!STATES[state].open && t.close_reason === 'completed'));
    const place = orderCustomerData(actor ? customerAccessOf(actor.roles) : 'none', t);
    return {
      service_request_id: t.number,
      status: STATES[state].open ? 'open' : 'closed',
      status_notes: actor && replied ? t.reply_text : null,
      service_name: t.class_code ? (classes.get(t.class_code) ?? null) : null,
      service_code: t.class_code,
      description: actor ? t.description : null,
      agency_responsible: units.get(t.unit_id ?? t.company_id) ?? null,
      service_notice: null,
      requested_datetime: t.intake_at,
      updated_datetime: t.updated_at,
      expected_datetime: t.reply_due_at ?? t.promise_due_at,
      address: place.address,
      address_id: null,
      zipcode: null,
      lat: place.lat,
      long: place.lng,
      media_url: null,
    };
  }

  private dateParam(v: string | undefined, name: string): Date | null {
    if (!v) return null;
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(v) || Number.isNaN(Date.parse(v)))
      throw new Open311Error(400, `${name} must be a W3C date-time with a time zone`);
    return new Date(v);
  }

  /**
   * GET requests. Public without an api_key: only orders filed through Open311, never a report, each as `view`
   * shows a public tracker. With one: the token's scope, by the one visibility rule.
   */
  async requests(p: Open311Params, id?: string) {
    const actor = p.api_key ? await this.actorFor(p.api_key) : null;
    const now = this.clock();
    const end = this.dateParam(p.end_date, 'end_date') ?? now;
    const start = this.dateParam(p.start_date, 'start_date') ?? new Date(end.getTime() - 90 * 86_400_000);
    let states: readonly string[] | undefined;
    if (p.status) {
      const wanted = p.status.split(',').map((x) => x.trim());
      if (wanted.some((w) => w !== 'open' && w !== 'closed')) throw new Open311Error(400, 'status must be open, closed or both');
      states = [
        ...(wanted.includes('open') ? OPEN_STATES : []),
        ...(wanted.includes('closed') ? STATE_CODES.filter((s) => !STATES[s].open) : []),
      ];
    }
    const numbers = id
      ? [id]
      : p.service_request_id
        ? p.service_request_id
            .split(',')
            .map((x) => x.trim())
            .slice(0, 100)
        : undefined;
    const rows = await this.repo.requests({
      scope: actor ? scopeOf(actor) : null,
      numbers,
      classCode: p.service_code,
      from: iso(start),
      to: iso(end),
      states,
      limit: 1000,
    });
    if (id && rows.length === 0) throw new Open311Error(404, `service_request_id ${id} was not found`);
    const classes = new Map((await this.reference.classes()).map((c) => [c.code, c.zh]));
    const units = new Map((await this.org.list()).map((u) => [u.id, u.name]));
    return rows.map((t) => this.view(t, actor, classes, units));
  }
}
