import { type Static, Type } from 'typebox';
import { KINDS } from '../taxonomy.ts';
import { IsoTime, Nullable } from './common.schema.ts';
import { LIMITS, Ticket } from './ticket.schema.ts';

/** `GET /api/v1/search` — full-text search over the orders in scope. */
export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

/** `POST|PUT /api/v1/search/synonyms` — a group of words search treats as one (跳闸/断电). */
export const SynonymGroupBody = Type.Object(
  { words: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 2, maxItems: 12 }) },
  { additionalProperties: false },
);

/** One hit of a search: the order with its rank, how it was found, and snippets with the matched words marked. */
export const SearchHit = Type.Object({
  ...Ticket.properties,
  rank: Type.Number(),
  /** By the order's number, the customer's phone or account (as far as the reader may look them up), or its text. */
  matchedBy: Type.Union([Type.Literal('number'), Type.Literal('phone'), Type.Literal('account'), Type.Literal('text')]),
  /** HTML: the matched words in <mark>, the rest escaped; the address only for readers who see it whole. */
  snippets: Type.Object({
    subject: Nullable(Type.String()),
    description: Nullable(Type.String()),
    reply: Nullable(Type.String()),
    location: Nullable(Type.String()),
  }),
});
export type SearchHit = Static<typeof SearchHit>;

/**
 * `GET /api/v1/search`: the words searched for, those excluded, the synonyms that widened them, the hits of this
 * page and how many in all (`truncated`: more matched than the newest ranked).
 */
export const SearchAnswer = Type.Object({
  terms: Type.Array(Type.String()),
  excluded: Type.Array(Type.String()),
  synonyms: Type.Array(Type.Object({ term: Type.String(), any: Type.Array(Type.String()) })),
  total: Type.Integer({ minimum: 0 }),
  truncated: Type.Boolean(),
  items: Type.Array(SearchHit),
  nextCursor: Nullable(Type.String()),
});
export type SearchAnswer = Static<typeof SearchAnswer>;

/** A group of words search treats as one. */
export const SynonymGroup = Type.Object({ id: Type.Integer(), words: Type.Array(Type.String()), updatedAt: IsoTime });
export type SynonymGroup = Static<typeof SynonymGroup>;

/** `GET /api/v1/search/synonyms`: the company's synonym groups. */
export const SynonymGroupList = Type.Object({ groups: Type.Array(SynonymGroup) });

/** `POST /api/v1/intake/suggest` — class, unit, risk and duplicate suggestions for the intake form. */
export const SuggestBody = Type.Object({
  kind: Type.Union(KINDS.map((k) => Type.Literal(k.code))),
  description: Type.String({ minLength: 1, maxLength: LIMITS.description }),
  subject: Type.Optional(Type.String({ maxLength: LIMITS.subject })),
  location: Type.Optional(Type.String({ maxLength: LIMITS.location })),
  phone: Type.Optional(Type.String({ maxLength: 20 })),
  account: Type.Optional(Type.String({ maxLength: LIMITS.account })),
});

/** `POST /api/v1/text/lexicon` — add or reweigh a word of a class (0 switches a default word off). */
export const LexiconWordBody = Type.Object({
  classCode: Type.String({ minLength: 1, maxLength: 64 }),
  word: Type.String({ minLength: 1, maxLength: 20 }),
  weight: Type.Integer({ minimum: 0, maximum: 5 }),
});

/** `POST /api/v1/text/areas` — map a village, street or town to the 供电所 that serves it. */
export const AreaBody = Type.Object({
  place: Type.String({ minLength: 1, maxLength: 40 }),
  unitId: Type.Integer({ minimum: 1 }),
});

/** A suggested class or kind: how sure (0..1) and the words behind it, strongest first. */
const Suggestion = Type.Object({ code: Type.String(), confidence: Type.Number(), words: Type.Array(Type.String()) });

/** What the intake screen shows beside the form: classes, kinds, the unit, the risk and possible duplicates. */
export const SuggestAnswer = Type.Object({
  classes: Type.Array(Suggestion),
  kinds: Type.Array(Suggestion),
  unit: Nullable(Type.Object({ id: Type.Integer(), name: Type.String(), reason: Type.String() })),
  risk: Type.Object({
    score: Type.Number(),
    level: Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]),
    reasons: Type.Array(Type.String()),
    flagged: Type.Boolean(),
    suggestGrade: Nullable(Type.Union([Type.Literal('important'), Type.Literal('major')])),
    /** A de-escalation card for the agent on the phone, or null when calm. */
    card: Nullable(Type.String()),
  }),
  duplicates: Type.Object({
    /** The customer's open orders: urge one rather than take a new one. */
    openOrders: Type.Array(
      Type.Object({
        id: Type.Integer(),
        number: Type.String(),
        state: Type.String(),
        subject: Type.String(),
        classCode: Nullable(Type.String()),
        createdAt: IsoTime,
        offer: Type.Literal('urge'),
        hint: Type.String(),
      }),
    ),
    /** Similar recent orders of the same station: link to one. */
    similar: Type.Array(
      Type.Object({
        id: Type.Integer(),
        number: Type.String(),
        state: Type.String(),
        subject: Type.String(),
        createdAt: IsoTime,
        similarity: Type.Number(),
        offer: Type.Literal('link'),
        hint: Type.String(),
      }),
    ),
  }),
});

/** `GET /text/lexicon`: the effective words per class (class → word → weight) and the admin edits behind them. */
export const LexiconAnswer = Type.Object({
  classes: Type.Record(Type.String(), Type.Record(Type.String(), Type.Number())),
  edits: Type.Array(
    Type.Object({ id: Type.Integer(), classCode: Type.String(), word: Type.String(), weight: Type.Integer(), updatedAt: IsoTime }),
  ),
});

/** `GET /text/areas`: the place → 供电所 map. */
export const AreaList = Type.Object({
  areas: Type.Array(Type.Object({ id: Type.Integer(), place: Type.String(), unitId: Type.Integer(), unitName: Type.String() })),
});
