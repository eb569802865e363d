#!/usr/bin/env node
// Thin launcher kept outside dist/ so the bin link exists before the first build. It runs the bundled
// CLI, dist/bundle/ (built by `pnpm build`: a few files to load instead of a hundred, the start-up users
// feel on every CI step), or the compiled one, dist/run.js, where no bundle was built (a `tsc` dev
// loop). The process wiring (signals, exit code) lives in src/process.ts.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/index.js', import.meta.url);
await import(existsSync(bundle) ? bundle : new URL('../dist/run.js', import.meta.url));
