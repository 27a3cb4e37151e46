import type { Kind } from '../../core/taxonomy.ts';
import { seededRng } from '../lib/rng.ts';
import { DEMO_STATIONS, demoText, pickClass } from './demo-texts.ts';

/**
 * Closed orders as the demo seeder writes them (same generator, same class mix), without the database:
 * the company history a class-suggestion evaluation simulates.
 */
export function demoClosedOrders(n: number, seed = 20261127): Array<{ text: string; kind: Kind; classCode: string }> {
  const rng = seededRng(seed);
  const kinds: Kind[] = ['complaint', 'complaint', 'complaint', 'complaint', 'report', 'opinion', 'suggestion', 'praise'];
  return Array.from({ length: n }, (_, i) => {
    const kind = kinds[i % kinds.length] as Kind;
    const month = 1 + (i % 12);
    const station = DEMO_STATIONS[i % DEMO_STATIONS.length] as (typeof DEMO_STATIONS)[number];
    const classCode = pickClass(rng, kind, month, station.areaType === 'rural');
    const t = demoText(rng, kind, classCode, station.name, 'other');
    return { text: `${t.subject}\n${t.description}`, kind, classCode: t.classCode };
  });
}
