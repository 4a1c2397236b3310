#!/usr/bin/env bash
# Runs the benchmarks with their peers (make bench). Installs the peer (DuckDB from npm) into
# bench/node_modules; it is never a dependency of the product. Sizes are the issues' defaults:
# import 100,000 meters x 365 days; loss 1,000,000 customers x 365 days; vee 10,000 meters x 31
# days of 15-minute values; tariff 1,000,000 customers x 12 monthly bills; audit 1,000,000
# customers x 35 days (generated and imported first).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d bench/node_modules/@duckdb/node-api ]]; then
  echo "Installing the DuckDB peer (npm @duckdb/node-api) into bench/node_modules ..."
  (cd bench && npm install --no-audit --no-fund --silent)
fi
./build/release/gridaudit bench import --peer bench/duckdb_peer.mjs
echo
./build/release/gridaudit bench loss --peer bench/duckdb_loss_peer.mjs
echo
./build/release/gridaudit bench vee
echo
./build/release/gridaudit bench tariff
echo
./build/release/gridaudit bench audit
