import { Type } from 'typebox';
import { IsoTime, Nullable } from './common.schema.ts';

/** `GET /api/public/portal/meta`: the kinds with their classes in plain words, the ratings and the limits. */
export const PortalMeta = Type.Object({
  company: Type.String(),
  kinds: Type.Array(
    Type.Object({
      code: Type.String(),
      zh: Type.String(),
      hint: Type.String(),
      classes: Type.Array(Type.Object({ code: Type.String(), label: Type.String() })),
    }),
  ),
  ratings: Type.Array(Type.Object({ code: Type.String(), zh: Type.String() })),
  limits: Type.Object({
    maxPhotos: Type.Integer(),
    maxPhotoBytes: Type.Integer(),
    descriptionMin: Type.Integer(),
    descriptionMax: Type.Integer(),
    nameMax: Type.Integer(),
    locationMax: Type.Integer(),
    commentMax: Type.Integer(),
    answerMax: Type.Integer(),
  }),
});

/** A signed receipt of an anonymous report: proof of what was filed when, checkable later. */
export const SignedReceipt = Type.Object({
  type: Type.Literal('gridvoice-receipt'),
  version: Type.Literal(1),
  number: Type.String(),
  filedAt: IsoTime,
  /** sha256 of the description exactly as filed. */
  contentHash: Type.String(),
  issuer: Type.String(),
  signatureAlgorithm: Type.Literal('HMAC-SHA256'),
  signature: Type.String(),
});

/**
 * `POST /api/public/portal/submissions`: the order number and the one secret to track it — a query code, or for an
 * anonymous report a receipt code and a signed receipt. `replayed`: the same Idempotency-Key filed it before.
 */
export const PortalFiled = Type.Object({
  number: Type.String(),
  kind: Type.String(),
  kindLabel: Type.String(),
  filedAt: IsoTime,
  queryCode: Nullable(Type.String()),
  receiptCode: Nullable(Type.String()),
  receipt: Nullable(SignedReceipt),
  statusText: Type.String(),
  replayed: Type.Boolean(),
});

/** What the customer sees of their order: status and timeline in plain words, questions, the approved reply. */
export const PortalProgress = Type.Object({
  number: Type.String(),
  kind: Type.String(),
  kindLabel: Type.String(),
  classLabel: Nullable(Type.String()),
  anonymous: Type.Boolean(),
  filedAt: IsoTime,
  description: Type.String(),
  location: Nullable(Type.String()),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('processing'), Type.Literal('replied'), Type.Literal('closed')]),
  statusText: Type.String(),
  open: Type.Boolean(),
  timeline: Type.Array(Type.Object({ at: IsoTime, text: Type.String() })),
  questions: Type.Array(Type.Object({ seq: Type.Integer(), at: IsoTime, text: Type.String(), answers: Type.Array(Type.String()) })),
  reply: Nullable(Type.Object({ text: Nullable(Type.String()), at: Nullable(IsoTime) })),
  canRate: Type.Boolean(),
  rating: Nullable(Type.Object({ outcome: Type.String(), label: Type.String() })),
  attachments: Type.Integer(),
});

/** `POST /api/public/portal/session`: the session token (also set as a cookie) and the order's progress. */
export const PortalSession = Type.Object({ token: Type.String(), expiresInSeconds: Type.Integer(), progress: PortalProgress });

/** `POST /api/public/portal/me/evidence`: the photos stored and the progress after. */
export const PortalEvidence = Type.Object({
  attachments: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), size: Type.Integer() })),
  progress: PortalProgress,
});

/** `POST /api/public/portal/receipts/verify`: whether the signature is ours and the receipt matches the record. */
export const ReceiptCheck = Type.Union([
  Type.Object({ valid: Type.Literal(false), message: Type.String() }),
  Type.Object({
    valid: Type.Literal(true),
    matchesRecord: Type.Boolean(),
    number: Type.String(),
    filedAt: IsoTime,
    message: Type.String(),
  }),
]);

/** `POST /tickets/:id/questions`: the question asked of the customer or reporter. */
export const QuestionAsked = Type.Object({ question: Type.Object({ seq: Type.Integer(), at: IsoTime, text: Type.String() }) });
