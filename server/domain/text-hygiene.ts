// C0 control characters and DEL, except tab, line feed and carriage return: nothing a person types, and they
// make XML (the .xlsx exports) invalid.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point here.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
// Bidirectional overrides and isolates: they make `photo\u202Egpj.exe` display as `photoexe.jpg`.
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as it may be stored: no control characters, no lone surrogate halves (replaced by U+FFFD). */
export function cleanText(s: string): string {
  return s.replace(CONTROLS, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** A file name as it may be stored and shown: clean text without bidirectional controls. */
export function cleanFileName(s: string): string {
  return cleanText(s).replace(BIDI, '');
}

/** Cleans every string of a parsed body, query or parameter object in place (keys too); returns it. */
export function cleanDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanDeep(value[i], depth + 1);
    return value;
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const clean = cleanText(key);
    const v = cleanDeep(o[key], depth + 1);
    if (clean !== key) delete o[key];
    o[clean] = v;
  }
  return value;
}
