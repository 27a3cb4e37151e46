import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Vendor chunks (stack.md §6): react and the small always-needed libraries get long-lived chunks of their own;
 * echarts (charts) and typebox (intake limits) only load with the page that needs them. Ant Design
 * is deliberately not one group: left to the bundler, its components split along the pages that use them, so the
 * login + home screen does not download the date pickers, tables and trees of the other pages.
 */
const VENDOR_GROUPS = [
  // Only the echarts modules both charts share: the leader's bar chart does not pull in the report charts' extras.
  { name: 'echarts', test: /node_modules[\\/](echarts|zrender|tslib)[\\/]/, minShareCount: 2, priority: 40 },
  { name: 'typebox', test: /node_modules[\\/]typebox[\\/]/, priority: 35 },
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/, priority: 30 },
  { name: 'vendor', test: /node_modules[\\/](@tanstack|i18next|react-i18next|use-sync-external-store|html-parse-stringify|void-elements)[\\/]/, priority: 20 },
];

/**
 * Writes `.gz` and `.br` next to every text asset of the build, so a static server with pre-compressed support
 * (@fastify/static `preCompressed: true`) sends the small files without compressing on each request.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'gridvoice-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir).flatMap((name) => {
          const path = join(dir, name);
          if (name === '.vite') return [];
          return statSync(path).isDirectory() ? walk(path) : [path];
        });
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const data = readFileSync(file);
        if (data.length < 1024) continue;
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [react(), precompress()],
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:8099' },
    fs: { allow: [dirname(root)] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 900,
    reportCompressedSize: true,
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: VENDOR_GROUPS },
      },
    },
  },
});
