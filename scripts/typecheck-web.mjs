// Type-checks the web app when it exists (its own tsconfig: JSX, bundler resolution).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../web/tsconfig.json', import.meta.url))) process.exit(0);
const r = spawnSync('npx', ['tsc', '--noEmit', '-p', 'web'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
