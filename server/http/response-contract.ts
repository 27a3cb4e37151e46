import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

type Serializer = (data: unknown) => string;

/**
 * The serializer of every response body a route declares a schema for. The schema is the contract (the OpenAPI
 * document and the web's types come from it), never a filter: the body is written with JSON.stringify, so a field
 * the schema forgets is still sent. With `check` (the tests), a body that breaks its schema fails the request
 * instead, so the contract cannot drift from what the route answers.
 */
export function responseSerializerCompiler(check: boolean): (route: { schema: unknown }) => Serializer {
  return ({ schema }) => {
    if (!check) return (data) => JSON.stringify(data);
    const validator = Compile(schema as TSchema);
    return (data) => {
      const json = JSON.stringify(data);
      // Checked as the client reads it: dates as strings, undefined fields gone.
      const wire: unknown = json === undefined ? undefined : JSON.parse(json);
      if (!validator.Check(wire)) {
        const e = validator.Errors(wire)[0];
        throw new Error(`response breaks its schema at ${e?.instancePath || '/'}: ${e?.message ?? 'invalid'}`);
      }
      return json;
    };
  };
}
