import { describe, expect, it } from 'vitest';
import { jsClosure, readManifest, sizes, total, WEB_DIST } from './bundle.ts';

const LIMIT = 600 * 1024;
const FIRST_SCREEN = ['index.html', 'src/pages/LoginPage.tsx', 'src/pages/HomePage.tsx'];

describe('web build: first screen size', () => {
  it('loads login + home in under 600 KB of gzipped JavaScript', () => {
    const files = jsClosure(readManifest(WEB_DIST), FIRST_SCREEN);
    const list = sizes(WEB_DIST, files);
    expect(files.length).toBeGreaterThan(2);
    expect(total(list)).toBeLessThan(LIMIT);
  });

  it('stays under 600 KB for a leader, whose home adds the cockpit and its trend chart', () => {
    const leader = [...FIRST_SCREEN, 'src/pages/cockpit/Cockpit.tsx', 'src/pages/cockpit/TrendChart.tsx'];
    const list = sizes(WEB_DIST, jsClosure(readManifest(WEB_DIST), leader));
    expect(total(list)).toBeLessThan(LIMIT);
  });

  it('keeps echarts out of the login + home screen of everyone but leaders', () => {
    const files = jsClosure(readManifest(WEB_DIST), FIRST_SCREEN);
    expect(files.some((f) => f.includes('echarts'))).toBe(false);
  });
});
