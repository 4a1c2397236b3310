# The two commands of the README, and a few more. Every target installs what is missing first.
#   make demo   set up, build Release, generate a synthetic utility, import it, audit it, summarise
#   make test   set up, build, run every test (ctest) and the fuzzers briefly
#   make bench  set up, build Release, run the benchmarks against their peers
#   make docs   regenerate the generated docs (import format, rule catalogue)
.PHONY: deps build demo test bench docs fuzz clean

JOBS ?= $(shell nproc)
DEMO_DIR ?= demo-data
FUZZ_SECONDS ?= 10
FUZZ_RUNS ?=

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

demo: build
	./build/release/gridaudit demo --dir $(DEMO_DIR)

test: deps
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
	rm -rf build $(DEMO_DIR)
