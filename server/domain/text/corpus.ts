import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCode, KINDS, type Kind } from '../../../core/taxonomy.ts';

/**
 * The labelled texts class and kind suggestion learn from (corpus/README.md describes the format): a
 * section line `= class kind`, then one `writer voice[:kind] text` line per text. The writer decides the
 * split, so that no writer's vocabulary is on both sides of an evaluation.
 */

export type Voice = 'caller' | 'agent' | 'portal' | 'regulator';
export type Split = 'train' | 'dev' | 'test';

export interface LabelledText {
  text: string;
  kind: Kind;
  classCode: string;
  voice: Voice;
  writer: string;
  split: Split;
}

const VOICES: readonly Voice[] = ['caller', 'agent', 'portal', 'regulator'];

/** The split of a writer: t… test, d… dev, anything else (w…, legacy) train. */
export function splitOf(writer: string): Split {
  if (/^t\d/.test(writer)) return 'test';
  if (/^d\d/.test(writer)) return 'dev';
  return 'train';
}

/** Parses one corpus file; throws with the line number on a malformed line. */
export function parseCorpus(content: string, source = 'corpus'): LabelledText[] {
  const out: LabelledText[] = [];
  let section: { classCode: string; kind: Kind } | null = null;
  content.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const where = `${source}:${i + 1}`;
    if (line.startsWith('= ')) {
      const [classCode, kind] = line.slice(2).trim().split(/\s+/);
      if (!classCode || !isCode(KINDS, kind)) throw new Error(`${where}: a section needs "= class kind"`);
      section = { classCode, kind };
      return;
    }
    if (!section) throw new Error(`${where}: text before the first "= class kind" section`);
    const m = /^(\S+)\s+(\S+)\s+(.+)$/.exec(line);
    if (!m) throw new Error(`${where}: needs "writer voice text"`);
    const [, writer, voiceKind, text] = m as unknown as [string, string, string, string];
    const [voice, kindOverride] = voiceKind.split(':');
    if (!VOICES.includes(voice as Voice)) throw new Error(`${where}: unknown voice "${voice}"`);
    if (kindOverride !== undefined && !isCode(KINDS, kindOverride)) throw new Error(`${where}: unknown kind "${kindOverride}"`);
    const s = section as { classCode: string; kind: Kind };
    out.push({
      text,
      kind: (kindOverride as Kind | undefined) ?? s.kind,
      classCode: s.classCode,
      voice: voice as Voice,
      writer,
      split: splitOf(writer),
    });
  });
  return out;
}

/** Reads a corpus file (or every `.txt` file of a folder). */
export function readCorpus(path: string): LabelledText[] {
  if (path.endsWith('.txt')) return parseCorpus(readFileSync(path, 'utf8'), path);
  return readdirSync(path)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((f) => parseCorpus(readFileSync(join(path, f), 'utf8'), f));
}

let shipped: LabelledText[] | null = null;

/** The shipped corpus (train and dev splits; the test split is not shipped), read once. */
export function shippedCorpus(): LabelledText[] {
  shipped ??= readCorpus(join(import.meta.dirname, 'corpus'));
  return shipped;
}
