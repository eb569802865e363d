#!/usr/bin/env node
// Thin launcher kept outside dist/ so the bin link exists before the first build.
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
