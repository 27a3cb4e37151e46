import { readFileSync } from 'node:fs';
import { isCode, KINDS, type Kind } from '../../core/taxonomy.ts';
import { evaluate } from '../domain/text/classify.ts';
import type { Services } from '../services/index.ts';

/** One line of an evaluation file. */
interface EvalCase {
  text: string;
  kind: Kind;
  class: string;
}

/** Reads a JSONL evaluation set (`{"text","kind","class"}` per line; blank lines and `//` comments skipped). */
export function readEvalSet(file: string): EvalCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('//'))
    .map((l, i) => {
      const c = JSON.parse(l) as EvalCase;
      if (typeof c.text !== 'string' || !isCode(KINDS, c.kind) || typeof c.class !== 'string')
        throw new Error(`line ${i + 1}: needs text, kind and class`);
      return c;
    });
}

/** Runs the classifier over an evaluation set: top-1 / top-3 accuracy and the most confused pairs. */
export async function evalClassifier(services: Services, companyId: number | null, cases: readonly EvalCase[]) {
  const results = [];
  for (const c of cases) {
    const ranked = await services.text.classify(companyId, c.text, c.kind);
    results.push({ expected: c.class, predicted: ranked.map((r) => r.code) });
  }
  return evaluate(results);
}

/** `gridvoice classify "文本" [--kind K] [--company CODE]` / `gridvoice classify --eval FILE.jsonl`. */
export async function classifyCommand(services: Services, args: string[], opts: { kind?: string; company?: string; evalFile?: string }) {
  const units = await services.org.list();
  const company = opts.company
    ? units.find((u) => u.code === opts.company && u.kind === 'company')
    : units.find((u) => u.kind === 'company' && u.parent_id === null);
  if (opts.company && !company) throw new Error(`--company ${opts.company}: no such company`);
  const companyId = company?.id ?? null;
  if (opts.evalFile) return evalClassifier(services, companyId, readEvalSet(opts.evalFile));
  const text = args.join(' ').trim();
  if (!text) throw new Error('classify needs a text or --eval FILE');
  const kind = opts.kind ?? 'complaint';
  if (!isCode(KINDS, kind)) throw new Error(`--kind ${kind}: unknown kind`);
  return { kind, classes: await services.text.classify(companyId, text, kind) };
}
