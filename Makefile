# The two commands of the README, and a few more. Every target installs what is missing first.
#   make demo   set up, build Release, generate a synthetic utility, import it, audit it, summarise
#   make test   set up, build, run every test (ctest) and the fuzzers briefly
#   make bench  set up, build Release, run the benchmarks against their peers
#   make docs   regenerate the generated docs (import format, rule catalogue)
.PHONY: deps build demo test bench docs fuzz clean

JOBS ?= $(shell nproc)
DEMO_DIR ?= demo-data
FUZZ_SECONDS ?= 10

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

fuzz: deps
	fuzz/run-briefly.sh $(FUZZ_SECONDS)

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
