#!/usr/bin/env bash
# Runs the benchmarks with their peers (make bench). Installs the peer (DuckDB from npm) into
# bench/node_modules; it is never a dependency of the product.
# Usage: bench/run.sh [--meters N] [--days D]   (defaults: the issue's 100,000 meters x 365 days)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d bench/node_modules/@duckdb/node-api ]]; then
  echo "Installing the DuckDB peer (npm @duckdb/node-api) into bench/node_modules ..."
  (cd bench && npm install --no-audit --no-fund --silent)
fi
./build/release/gridaudit bench import --peer bench/duckdb_peer.mjs "$@"
