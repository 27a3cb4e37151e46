import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Where the web build lands (vite `build.outDir`). */
export const WEB_DIST = resolve(import.meta.dirname, '..', '..', 'web', 'dist');

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export interface ChunkSize {
  file: string;
  raw: number;
  gzip: number;
}

/** Reads the Vite manifest of a build (needs `build.manifest: true`). */
export function readManifest(dist: string): Record<string, ManifestChunk> {
  const path = join(dist, '.vite', 'manifest.json');
  if (!existsSync(path)) throw new Error(`${path} is missing: build the web app first (npm run build:web)`);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
}

/**
 * The JavaScript files a browser loads for the given manifest keys: each key with its static imports,
 * transitively (dynamic imports are loaded later, on demand, and are not counted unless listed as keys).
 */
export function jsClosure(manifest: Record<string, ManifestChunk>, keys: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`no chunk "${key}" in the manifest`);
    if (seen.has(chunk.file)) return;
    seen.add(chunk.file);
    for (const i of chunk.imports ?? []) visit(i);
  };
  for (const k of keys) visit(k);
  return [...seen].filter((f) => f.endsWith('.js')).sort();
}

/** Raw and gzip sizes (level 9, as a server would precompress) of built files. */
export function sizes(dist: string, files: readonly string[]): ChunkSize[] {
  return files.map((file) => {
    const data = readFileSync(join(dist, file));
    return { file, raw: data.length, gzip: gzipSync(data, { level: 9 }).length };
  });
}

export const total = (list: readonly ChunkSize[]) => list.reduce((n, c) => n + c.gzip, 0);
