#!/usr/bin/env bash
# Installs the Debian packages GridAudit needs to build, test and run; quiet when all are present.
# Idempotent: only missing packages are installed. Usage: scripts/install-deps.sh [--with-bench]
# (--with-bench is kept for make bench; Node.js, which the benchmark needs, is installed anyway)
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config make
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libsimdjson-dev libfast-float-dev
  libhowardhinnant-date-dev libsqlite3-dev libtbb-dev libsodium-dev libtomlplusplus-dev
  libpq-dev                     # the PostgreSQL store (libpq)
  postgresql                    # make test starts a throwaway server for the store tests (scripts/pg-test-server.sh)
  libxlsxwriter-dev             # gridaudit report --out FILE.xlsx
  libcpp-httplib-dev            # gridaudit serve (HTTP API)
  libxgboost-dev xgboost        # the learned suspect model (XGBoost's C API; its CMake config wants /usr/bin/xgboost)
  wrk                           # gridaudit bench api: the HTTP load generator
  clang-19 libclang-rt-19-dev   # libFuzzer targets (make test runs them briefly)
  sqlite3                       # the store can be inspected with the sqlite3 shell
  chromium fonts-noto-cjk       # the dashboard's browser test (web/tests): headless Chromium, CJK labels
)
# The dashboard (web/) builds with Node.js 18 or later and npm: the machine's own when it has one,
# Debian 12's (18.20) otherwise; web/package.json pins versions that run on 18 (Vite 6,
# TypeScript 5.9, playwright-core 1.61). The benchmark's DuckDB peer
# (npm @duckdb/node-api) needs them too.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed ${#missing[@]} package(s)."
