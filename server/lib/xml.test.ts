import { describe, expect, it } from 'vitest';
import { toJson, toXml, xmlList } from './xml.ts';

describe('xml writer', () => {
  it('writes lists as repeated elements, nulls as empty elements, and escapes text', () => {
    const v = {
      items: xmlList('item', [
        { a: 1, b: null },
        { a: 'x<&>"y', b: true },
      ]),
    };
    expect(toXml('root', v)).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<root><items><item><a>1</a><b/></item><item><a>x&lt;&amp;&gt;&quot;y</a><b>true</b></item></items></root>',
    );
    expect(toJson(v)).toEqual({
      items: [
        { a: 1, b: null },
        { a: 'x<&>"y', b: true },
      ],
    });
  });
});
