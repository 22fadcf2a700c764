#!/usr/bin/env bash
# Sets up what is missing (system packages, models) and runs coagent.
#   scripts/run.sh                      transcribe the bundled sample and print its problem card
#   scripts/run.sh transcribe my.wav    any coagent command (see `scripts/run.sh --help`)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo build --quiet --bin coagent
coagent=("${CARGO_TARGET_DIR:-target}/debug/coagent")
"${coagent[@]}" models fetch

if (($# == 0)); then
    # No server yet (it comes with live dictation): show the pipeline on a real recording.
    echo "== transcript of tests/fixtures/jfk.wav" >&2
    "${coagent[@]}" transcribe tests/fixtures/jfk.wav | tee /dev/stderr | "${coagent[@]}" summarize --quiet
else
    exec "${coagent[@]}" "$@"
fi
