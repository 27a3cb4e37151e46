/** A tiny XML writer for schemaless documents (Open311): objects become child elements, lists repeat an element. */

export type XmlValue = string | number | boolean | null | undefined | XmlList | { [name: string]: XmlValue };

/** A list of repeated elements named `item` (the Spark convention maps a JSON array to repeated elements). */
export interface XmlList {
  readonly __xmlList: string;
  readonly items: readonly XmlValue[];
}

/** Marks an array as repeated `<item>` elements. */
export function xmlList(item: string, items: readonly XmlValue[]): XmlList {
  return { __xmlList: item, items };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function isList(v: XmlValue): v is XmlList {
  return typeof v === 'object' && v !== null && '__xmlList' in v;
}

function element(name: string, v: XmlValue): string {
  if (v === null || v === undefined || v === '') return `<${name}/>`;
  if (isList(v)) return `<${name}>${v.items.map((i) => element(v.__xmlList, i)).join('')}</${name}>`;
  if (typeof v === 'object') {
    return `<${name}>${Object.entries(v)
      .map(([k, c]) => element(k, c))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

/** A UTF-8 XML document with the given root element. */
export function toXml(root: string, v: XmlValue): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, v)}`;
}

/** The plain JSON form of a value (lists become arrays). */
export function toJson(v: XmlValue): unknown {
  if (isList(v)) return v.items.map(toJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, c]) => [k, toJson(c)]));
  return v ?? null;
}
