# Entry points; README's quick start is `make run` and `make test`.
BUILD   ?= build
ASAN    ?= build-asan
TSAN    ?= build-tsan
FUZZ    ?= build-fuzz
JOBS    ?= $(shell nproc)
PYTHON  ?= /usr/bin/python3
CONFIG  ?= config/jormun.yaml

# ccache, when installed (scripts/install-deps.sh adds it), makes rebuilding
# the build folders cheap; paths count from the checkout, so a fresh clone
# or a worktree on the same machine hits the cache too. With -g ccache would
# also hash the build folder's absolute path (it lands in the debug info),
# which misses across checkouts; NOHASHDIR gives that up: a cached object's
# debug info may name another checkout's build folder.
ifneq ($(shell command -v ccache),)
export CMAKE_C_COMPILER_LAUNCHER = ccache
export CMAKE_CXX_COMPILER_LAUNCHER = ccache
export CCACHE_BASEDIR = $(CURDIR)
export CCACHE_NOHASHDIR = true
endif

.PHONY: deps build release run deb test unit-test asan-test tsan-test fuzz conformance bench fmt clean

# Engines the conformance suite runs against, one full run each; the
# postgres run starts a throwaway PostgreSQL of its own (scripts/postgres.sh).
ENGINES ?= rocksdb sqlite lmdb postgres

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

# The Debian package of the build (CPack, packaging/CMakeLists.txt):
# $(BUILD)/packages/jormundb_<version>_<arch>.deb, with the plugins, the
# engine test kit, the plugin SDK, the configs and a systemd unit.
deb: build
	@cpack --config $(BUILD)/CPackConfig.cmake -B $(BUILD)/packages

unit-test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The unit tests and the engine kit again under AddressSanitizer and UBSan.
asan-test: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DJORMUN_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN) -j$(JOBS) --target jormun_tests jormun_concurrency_tests \
	  jormun-engine-check jormun_rocksdb_tests jormun_bench_tests jormun_postgres_tests
	@cd $(ASAN) && ctest --output-on-failure -j$(JOBS)

# The concurrency tests under ThreadSanitizer: the unit tests that run
# threads, and the engine kit's concurrency checks on every engine. RocksDB,
# SQLite and LMDB come from Debian uninstrumented; tests/tsan.supp says what
# that makes TSan misreport and why.
TSAN_TESTS = Concurren|GroupCommit|HttpServer|LockManager|Growth|WhileWriting|TransactionLog|Metrics
TSAN_ENGINES = rocksdb sqlite lmdb
tsan-test: deps
	@cmake -S . -B $(TSAN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJORMUN_TSAN=ON >/dev/null
	@cmake --build $(TSAN) -j$(JOBS) --target jormun_concurrency_tests jormun-engine-check \
	  $(TSAN_ENGINES:%=jormun_%)
	@export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp"; \
	  cd $(TSAN) && ctest --output-on-failure --no-tests=error -j$(JOBS) -R '$(TSAN_TESTS)' && \
	  for engine in $(TSAN_ENGINES); do \
	    bin/jormun-engine-check bin/jormun_$$engine.so --only concurrency: || exit 1; \
	  done

# The libFuzzer targets of tests/fuzz, built with clang (plus ASan and UBSan)
# and run FUZZ_SECONDS each from the seed corpus in tests/fuzz/corpus, one
# per core at a time.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS = attribute_json expressions http_request item_codec key_codec partiql
fuzz: deps
	@cmake -S . -B $(FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
	  -DCMAKE_CXX_COMPILER=clang++ -DJORMUN_SANITIZE=ON -DJORMUN_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ) -j$(JOBS) --target $(FUZZ_TARGETS:%=%_fuzz)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh $(FUZZ) $(FUZZ_TARGETS)

# The end-to-end suite through boto3, the AWS CLI and the JavaScript SDK,
# once per engine, the engines side by side (scripts/conformance.sh).
conformance: build
	@bash scripts/conformance.sh $(PYTHON) $(ENGINES)

# KILL_ROUNDS (default 5) sets the SIGKILL rounds of
# conformance/test_kill_loop.py per engine and durability mode;
# TXN_KILL_ROUNDS (default 10) those of conformance/test_transact_kill_loop.py.
test: unit-test asan-test tsan-test fuzz conformance

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
	rm -rf $(BUILD) $(ASAN) $(TSAN) $(FUZZ) build-release
