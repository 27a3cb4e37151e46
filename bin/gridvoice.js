#!/usr/bin/env node
// The `gridvoice` command: runs the TypeScript CLI through tsx (no separate compile step).
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/index.ts');
