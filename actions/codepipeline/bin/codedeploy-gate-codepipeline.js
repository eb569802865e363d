#!/usr/bin/env node
// The job worker, from its committed bundle: `codedeploy-gate-codepipeline --provider NAME --version V`.
import '../dist/index.js';
