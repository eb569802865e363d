#!/usr/bin/env node
// Thin launcher kept outside dist/ so the bin link exists before the first build; the process wiring
// (signals, exit code) lives in src/process.ts, shared with the Jenkins wrapper's bundle.
import { runAsProcess } from '../dist/process.js';

runAsProcess(process.argv.slice(2));
