import { Type } from 'typebox';
import { CalendarStatus, CalendarYear, CalendarYears } from '../../../core/schemas/calendar.schema.ts';
import { Ok } from '../../../core/schemas/common.schema.ts';
import { CalendarData, PolicyCreated, PolicyList, Taxonomy } from '../../../core/schemas/reference.schema.ts';
import {
  AREA_TYPES,
  CHANNELS,
  GRADES,
  INVALID_REASONS,
  KINDS,
  ORG_UNIT_KINDS,
  RESPONSIBILITY,
  RETURN_REASONS,
  REVISIT_OUTCOMES,
  ROLES,
  ROOT_CAUSES,
  VERIFICATION_RESULTS,
} from '../../../core/taxonomy.ts';
import { ACTIONS, STATES } from '../../../core/workflow/index.ts';
import type { App } from '../../app.ts';
import { actorOf } from '../../http/auth.ts';

const ClassCode = Type.Object({ code: Type.String({ pattern: '^[a-z_]+(\\.[a-z_]+)*$', maxLength: 64 }) });
const CreateClass = Type.Object({
  code: Type.String({ pattern: '^[a-z_]+(\\.[a-z_]+)*$', maxLength: 64 }),
  parent: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
  zh: Type.String({ minLength: 1, maxLength: 64 }),
  en: Type.String({ minLength: 1, maxLength: 64 }),
});
const UpdateClass = Type.Object({
  zh: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  en: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  active: Type.Optional(Type.Boolean()),
});
const CreatePolicy = Type.Object({
  effectiveFrom: Type.String({ format: 'date-time' }),
  rules: Type.Object({}, { additionalProperties: true }),
  note: Type.String({ maxLength: 500 }),
});
const DateParam = Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) });
const Override = Type.Object({ workday: Type.Boolean(), note: Type.String({ minLength: 1, maxLength: 200 }) });
const Year = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }), note: Type.String({ maxLength: 200 }) });
const YearParam = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) });
const YearDays = Type.Object({
  note: Type.String({ maxLength: 200 }),
  days: Type.Array(
    Type.Object({
      date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
      workday: Type.Boolean(),
      name: Type.String({ minLength: 1, maxLength: 20 }),
    }),
    { minItems: 1, maxItems: 80 },
  ),
});

/** Reference data: the taxonomy and workflow table for the web, time policies and the calendar for admins. */
export async function referenceRoutes(app: App): Promise<void> {
  const s = app.services.reference;

  app.get('/taxonomy', { schema: { response: { 200: Taxonomy }, tags: ['reference'] } }, async (req) => {
    actorOf(req);
    return {
      kinds: KINDS,
      channels: CHANNELS,
      grades: GRADES,
      classes: await s.classes(),
      rootCauses: ROOT_CAUSES,
      verificationResults: VERIFICATION_RESULTS,
      returnReasons: RETURN_REASONS,
      revisitOutcomes: REVISIT_OUTCOMES,
      invalidReasons: INVALID_REASONS,
      responsibility: RESPONSIBILITY,
      orgUnitKinds: ORG_UNIT_KINDS,
      areaTypes: AREA_TYPES,
      roles: ROLES,
      states: Object.values(STATES),
      actions: Object.values(ACTIONS),
    };
  });
  app.post('/taxonomy/classes', { schema: { body: CreateClass, response: { 201: Ok }, tags: ['reference'] } }, async (req, reply) => {
    await s.createClass(actorOf(req), req.body);
    return reply.status(201).send({ ok: true });
  });
  app.patch(
    '/taxonomy/classes/:code',
    { schema: { params: ClassCode, body: UpdateClass, response: { 200: Ok }, tags: ['reference'] } },
    async (req) => {
      await s.updateClass(actorOf(req), req.params.code, req.body);
      return { ok: true };
    },
  );

  app.get('/time-policies', { schema: { response: { 200: PolicyList }, tags: ['reference'] } }, async (req) => {
    actorOf(req);
    return { items: await s.policies() };
  });
  app.post(
    '/time-policies',
    { schema: { body: CreatePolicy, response: { 201: PolicyCreated }, tags: ['reference'] } },
    async (req, reply) => {
      return reply.status(201).send({ policy: await s.createPolicy(actorOf(req), req.body) });
    },
  );

  app.get('/calendar', { schema: { response: { 200: CalendarData }, tags: ['reference'] } }, async (req) => {
    actorOf(req);
    return s.calendarData();
  });
  app.put(
    '/calendar/overrides/:date',
    { schema: { params: DateParam, body: Override, response: { 200: Ok }, tags: ['reference'] } },
    async (req) => {
      await s.setOverride(actorOf(req), { date: req.params.date, ...req.body });
      return { ok: true };
    },
  );
  app.delete('/calendar/overrides/:date', { schema: { params: DateParam, response: { 200: Ok }, tags: ['reference'] } }, async (req) => {
    await s.deleteOverride(actorOf(req), req.params.date);
    return { ok: true };
  });
  app.get('/calendar/status', { schema: { response: { 200: CalendarStatus }, tags: ['reference'] } }, async (req) => {
    actorOf(req);
    return s.calendarStatus();
  });
  app.get('/calendar/years', { schema: { response: { 200: CalendarYears }, tags: ['reference'] } }, async (req) => {
    actorOf(req);
    return s.calendarYears();
  });
  app.get('/calendar/years/:year', { schema: { params: YearParam, response: { 200: CalendarYear }, tags: ['reference'] } }, async (req) => {
    actorOf(req);
    return s.calendarYear(req.params.year);
  });
  app.put(
    '/calendar/years/:year',
    { schema: { params: YearParam, body: YearDays, response: { 200: CalendarYear }, tags: ['reference'] } },
    async (req) => s.enterYear(actorOf(req), req.params.year, req.body),
  );
  app.post('/calendar/years', { schema: { body: Year, response: { 201: Ok }, tags: ['reference'] } }, async (req, reply) => {
    await s.addYear(actorOf(req), req.body);
    return reply.status(201).send({ ok: true });
  });
}
