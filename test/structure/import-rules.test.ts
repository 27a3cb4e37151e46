import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Which way the imports go (docs/architecture.md): core is imported by server and web and imports neither; the web
// reaches the server only over HTTP; routes see services, never repositories or the database; a migration, once
// shipped, means the same thing forever, so it imports nothing that lives on; the services do not start the jobs
// (the composition root wires both); the domain does no I/O.

const ROOT = normalize(join(import.meta.dirname, '../..'));

/** One import: the file, the target (a repository path for relative imports, the bare specifier otherwise). */
interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx)$/.test(e.name)) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function edgesOf(file: string, src: string): Edge[] {
  const edges: Edge[] = [];
  for (const m of src.matchAll(IMPORT)) {
    const spec = (m[4] ?? m[5]) as string;
    const clause = m[3] ?? '';
    // `import type {…}` or `import { type A, type B }`: erased at compile time, no code runs.
    const names =
      clause
        .match(/\{([^}]*)\}/)?.[1]
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean) ?? [];
    const typeOnly = Boolean(m[2]) || (names.length > 0 && !/^\w/.test(clause.trim()) && names.every((n) => n.startsWith('type ')));
    const to = spec.startsWith('.') ? relative(ROOT, join(ROOT, dirname(file), spec)) : spec;
    edges.push({ from: file, to, typeOnly });
  }
  return edges;
}

const FILES = ['core', 'server', 'web/src'].flatMap(sourceFiles);
const TEXT = new Map(FILES.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
const EDGES = FILES.flatMap((f) => edgesOf(f, TEXT.get(f) as string));

const isTest = (f: string) => /\.test\.tsx?$/.test(f);
const under = (p: string, ...dirs: string[]) => dirs.some((d) => p === d || p.startsWith(`${d}/`));
const nodeBuiltin = (to: string) => to.startsWith('node:');

interface Rule {
  name: string;
  /** The files the rule speaks of. */
  applies: (file: string) => boolean;
  /** True when the import breaks the rule. */
  forbids: (e: Edge) => boolean;
}

/** Packages core may use: pure, running in the browser and in Node alike. */
const CORE_PACKAGES = ['typebox'];

const RULES: Rule[] = [
  {
    name: 'core imports only core and pure packages (no server, web, Node or database code)',
    applies: (f) => under(f, 'core') && !isTest(f),
    forbids: (e) => !(under(e.to, 'core') || CORE_PACKAGES.includes(e.to)),
  },
  {
    name: 'the web imports no server code and no Node built-ins',
    applies: (f) => under(f, 'web/src'),
    forbids: (e) => under(e.to, 'server') || nodeBuiltin(e.to),
  },
  {
    name: 'routes import no repositories and no database code',
    applies: (f) => under(f, 'server/routes'),
    forbids: (e) => under(e.to, 'server/repositories', 'server/db') || ['kysely', 'pg', 'better-sqlite3'].includes(e.to),
  },
  {
    name: 'migrations import only kysely, Node built-ins and other files of the migrations folder',
    applies: (f) => under(f, 'server/db/migrations'),
    forbids: (e) => !(e.to === 'kysely' || nodeBuiltin(e.to) || under(e.to, 'server/db/migrations')),
  },
  {
    name: 'services do not import jobs or routes',
    applies: (f) => under(f, 'server/services'),
    forbids: (e) => under(e.to, 'server/jobs', 'server/routes'),
  },
  {
    name: 'only the composition root wires: the layers it builds do not import it',
    applies: (f) => under(f, 'server/services', 'server/repositories', 'server/jobs', 'server/domain', 'server/db', 'server/routes'),
    forbids: (e) => !e.typeOnly && e.to === 'server/container.ts',
  },
  {
    name: 'repositories import no services, routes, jobs or HTTP code',
    applies: (f) => under(f, 'server/repositories'),
    forbids: (e) => under(e.to, 'server/services', 'server/routes', 'server/jobs', 'server/http') || e.to === 'fastify',
  },
  {
    name: 'the domain does no I/O: no repositories, database, services, routes, jobs or file system',
    applies: (f) => under(f, 'server/domain') && !isTest(f),
    forbids: (e) =>
      (!e.typeOnly && under(e.to, 'server/db')) ||
      under(e.to, 'server/repositories', 'server/services', 'server/routes', 'server/jobs') ||
      ['node:fs', 'node:fs/promises', 'node:path', 'kysely'].includes(e.to),
  },
];

/** Routes reach the database only through services: no `.repos` and no `.kysely` in a route file. */
const ROUTE_REACH = /\.(repos|kysely)\b/;

/**
 * What still breaks a rule today, each with the reason it stays for now. The list only shrinks: an entry that no
 * longer matches an import fails the test too, so a fix removes its entry.
 */
const ALLOWED: Array<{ from: string; to: string; why: string }> = [
  // The text domain reads its own bundled dictionary at load, and the classifier corpus from a path the CLI gives.
  { from: 'server/domain/text/segment.ts', to: 'node:fs', why: 'loads the bundled power-supply dictionary' },
  { from: 'server/domain/text/segment.ts', to: 'node:path', why: 'locates the bundled dictionary' },
  { from: 'server/domain/text/corpus.ts', to: 'node:fs', why: 'readCorpus reads a labelled corpus for the CLI and the tests' },
  { from: 'server/domain/text/corpus.ts', to: 'node:path', why: 'readCorpus joins the corpus folder with its files' },
];

function violations(): string[] {
  const out: string[] = [];
  for (const e of EDGES) for (const r of RULES) if (r.applies(e.from) && r.forbids(e)) out.push(`${e.from} -> ${e.to}  (${r.name})`);
  for (const f of FILES.filter((x) => under(x, 'server/routes')))
    (TEXT.get(f) as string).split('\n').forEach((line, i) => {
      if (ROUTE_REACH.test(line)) out.push(`${f}:${i + 1} reaches past the services: ${line.trim()}`);
    });
  return out;
}

const allowed = (v: string) => ALLOWED.some((a) => v.startsWith(`${a.from} -> ${a.to} `) || v.startsWith(`${a.from}:${a.to} `));

describe('import rules', () => {
  it('reads the import graph (the check sees the imports it is meant to see)', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(EDGES).toContainEqual({ from: 'server/app.ts', to: 'fastify', typeOnly: false });
    expect(EDGES.some((e) => e.from.startsWith('web/src/') && under(e.to, 'core'))).toBe(true);
    expect(edgesOf('server/x.ts', "import type { A } from './a.ts';\nimport { type B, c } from '../b.ts';")).toEqual([
      { from: 'server/x.ts', to: 'server/a.ts', typeOnly: true },
      { from: 'server/x.ts', to: 'b.ts', typeOnly: false },
    ]);
  });

  it('finds no import that breaks a rule, apart from the listed ones', () => {
    expect(violations().filter((v) => !allowed(v))).toEqual([]);
  });

  // The comment part of a line (a stored string such as an old data value is not a citation).
  const commentOf = (line: string) => {
    const t = line.trim();
    if (t.startsWith('*') || t.startsWith('/*')) return t;
    const at = line.indexOf('// ');
    return at >= 0 ? line.slice(at) : '';
  };

  it('finds no comment that cites a DESIGN section or an issue number instead of the rule in words', () => {
    const cites = /DESIGN §|§\d|\bissue \d+|guards\.ts/;
    const found = FILES.flatMap((f) =>
      (TEXT.get(f) as string).split('\n').flatMap((line, i) => (cites.test(commentOf(line)) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
  });

  it('lists no allowed exception that is already fixed', () => {
    const v = violations();
    expect(ALLOWED.filter((a) => !v.some((x) => x.startsWith(`${a.from} -> ${a.to} `) || x.startsWith(`${a.from}:${a.to} `)))).toEqual([]);
  });
});
