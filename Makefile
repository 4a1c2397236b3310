# The two commands of the README, and a few more. Every target installs what is missing first.
#   make demo   set up, build Release and the dashboard, generate a synthetic utility, import it,
#               audit it, summarise, then serve the dashboard at http://127.0.0.1:8080
#   make test   set up, build (the dashboard too), run every test (ctest, the browser test among
#               them) and the fuzzers briefly
#   make web    build the web dashboard into web/dist (npm ci when the lock file changed)
#   make report-script  rebuild the report's chart script src/report/report_charts.bundle.js from
#               web/src/report/ (committed; the C++ build embeds it, docs/report.md)
#   make bench  set up, build Release, run the benchmarks against their peers
#   make docs   regenerate the generated docs (import format, rule catalogue)
.PHONY: deps build web report-script demo test bench docs fuzz clean

JOBS ?= $(shell nproc)
DEMO_DIR ?= demo-data
FUZZ_SECONDS ?= 10
FUZZ_RUNS ?=
DEMO_PORT ?= 8080

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# npm ci only when package-lock.json changed since the last install (it rewrites node_modules).
web/node_modules/.package-lock.json: web/package-lock.json | deps
	cd web && npm ci --no-audit --no-fund --loglevel=error

web: web/node_modules/.package-lock.json
	cd web && npm run --silent build -- --logLevel warn

report-script: web/node_modules/.package-lock.json
	cd web && npm run --silent build:report -- --logLevel warn

demo: build web
	./build/release/gridaudit demo --dir $(DEMO_DIR)
	@echo
	@echo "== The dashboard: http://127.0.0.1:$(DEMO_PORT)/ (Ctrl-C stops it) =="
	@echo "Sign in as one of the demo users (username,role,unit_id,password):"
	@sed 1d $(DEMO_DIR)/demo-users.csv | sed 's/^/  /'
	./build/release/gridaudit serve --db $(DEMO_DIR)/gridaudit.db --port $(DEMO_PORT) --web web/dist

test: deps web
	@cmake --preset test >/dev/null
	@cmake --build --preset test -j $(JOBS)
	ctest --preset test
	fuzz/run-briefly.sh $(FUZZ_SECONDS)

# make fuzz: every fuzz target for FUZZ_SECONDS each; make fuzz FUZZ_RUNS=10000000: the long run
# (that many executions per target, new coverage merged into fuzz/corpus/, see docs/fuzzing.md).
fuzz: deps
	@if [ -n "$(FUZZ_RUNS)" ]; then fuzz/run-long.sh $(FUZZ_RUNS); else fuzz/run-briefly.sh $(FUZZ_SECONDS); fi

bench: deps
	@scripts/install-deps.sh --with-bench
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	bench/run.sh

docs: build
	./build/release/gridaudit formats --markdown > docs/import-format.md
	./build/release/gridaudit rules --markdown > docs/rules.md
	./build/release/gridaudit rules --policy-toml > config/gridaudit.toml

clean:
	rm -rf build $(DEMO_DIR) web/dist
