import { Type } from 'typebox';
import { KINDS } from '../taxonomy.ts';
import { LIMITS } from './ticket.schema.ts';

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
