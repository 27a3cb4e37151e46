import { type Static, type TSchema, Type } from 'typebox';

/** A union of the codes of a taxonomy list. */
export const codesOf = <L extends ReadonlyArray<{ code: string }>>(list: L) =>
  Type.Unsafe<L[number]['code']>(Type.Union(list.map((x) => Type.Literal(x.code))));

/** A union of the given string codes. */
export const literalsOf = <T extends string>(codes: readonly T[]) => Type.Unsafe<T>(Type.Union(codes.map((c) => Type.Literal(c))));

/** The value or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** `{ ok: true }`: the action was done and there is nothing else to say. */
export const Ok = Type.Object({ ok: Type.Boolean() });

/** A text in both languages of the UI (a label, an explanation). */
export const Label = Type.Object({ zh: Type.String(), en: Type.String() });

/** An ISO-8601 UTC time as the API writes it. */
export const IsoTime = Type.String({ description: 'ISO-8601 UTC time' });

/** A 204 answer: done, and no body. */
export const NoContent = Type.Null({ description: 'No content' });

/** An array the server answers from a frozen (readonly) table. */
export const ReadonlyList = <T extends TSchema>(t: T) => Type.Unsafe<ReadonlyArray<Static<T>>>(Type.Array(t));

/**
 * A file answered as it is stored or generated (a download, an .xlsx or CSV export): described by its media type,
 * never serialised as JSON.
 */
export const FileBody = (description: string, mediaTypes: readonly string[] = ['application/octet-stream']) => ({
  description,
  content: Object.fromEntries(mediaTypes.map((m) => [m, { schema: Type.String({ format: 'binary' }) }])),
});
