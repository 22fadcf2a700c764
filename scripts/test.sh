#!/usr/bin/env bash
# The whole test suite, as CI runs it: set-up, models into the cache, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cargo fmt --all --check
cargo run --quiet -- models fetch
cargo test --workspace --no-fail-fast
