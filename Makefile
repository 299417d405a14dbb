# Entry points; README's quick start is `make run` and `make test`.
BUILD   ?= build
ASAN    ?= build-asan
JOBS    ?= $(shell nproc)
PYTHON  ?= /usr/bin/python3
CONFIG  ?= config/jormun.yaml

.PHONY: deps build release run test unit-test asan-test conformance bench fmt clean

# Engines the conformance suite runs against, one full run each.
ENGINES ?= rocksdb sqlite lmdb

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

release: deps
	@cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build build-release -j$(JOBS)

run: build
	$(BUILD)/bin/jormundb --config $(CONFIG)

unit-test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The unit tests and the engine kit again under AddressSanitizer and UBSan.
asan-test: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DJORMUN_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j$(JOBS) --target jormun_tests jormun-engine-check jormun_rocksdb_tests \
	  jormun_bench_tests
	@cd $(ASAN) && ctest --output-on-failure -j$(JOBS)

# The end-to-end suite through boto3 and the AWS CLI, once per engine.
conformance: build
	@for engine in $(ENGINES); do \
	  echo "== conformance on $$engine"; \
	  $(PYTHON) -m pytest -q -p no:cacheprovider conformance --engine $$engine || exit 1; \
	done

test: unit-test asan-test conformance

# The benchmark set, once per engine, into docs/benchmarks.md; about 25
# minutes. Never part of `test`. BENCH_SECONDS, BENCH_REPEATS, BENCH_ENGINES,
# BENCH_BIG=1 and BENCH_SOAK=1 are described in bench/run.sh; the report
# quotes the ones set.
BENCH_SETTINGS = $(strip $(foreach v,BENCH_SECONDS BENCH_REPEATS BENCH_BIG BENCH_SOAK,$(if $($(v)),$(v)=$($(v)))))
bench: release
	@BUILD=build-release BENCH_COMMAND="$(if $(BENCH_SETTINGS),$(BENCH_SETTINGS) )make bench" bash bench/run.sh

fmt:
	@git ls-files '*.h' '*.hpp' '*.cc' '*.c' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN) build-release
