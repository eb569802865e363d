#!/usr/bin/env bash
# The expected failure: the gate must fail the step and name this hook and this line.
echo "self-test: AfterInstall refuses this revision on purpose" >&2
exit 3
