#!/usr/bin/env node
// `codedeploy-gate-local serve|run ...` is `codedeploy-gate local serve|run ...`: the command's options,
// output and exit codes live once, in the CLI (a peer dependency, installed with this package by npm).
import { runAsProcess } from '@codedeploy-gate/cli';

runAsProcess(['local', ...process.argv.slice(2)]);
