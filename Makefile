# The README's two commands (run, test) and a few helpers. Everything goes through CMake presets.
PRESET ?= dev
BUILD  := build/$(PRESET)
JOBS   ?= $(shell nproc)
SHELL  := /bin/bash
.SHELLFLAGS := -o pipefail -c

FUZZ_SECONDS ?= 20

.PHONY: run test sanitize deps build bench package format clean

run: build
	$(BUILD)/app/trainscope --demo

# Benchmarks first (serially, their figures printed), then every unit test, then the
# sanitizers and fuzzers. Each step with a throwaway PostgreSQL server (pgcluster.sh run sets
# TRAINSCOPE_TEST_POSTGRES for the study tests), stopped however the step ends.
test: build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen $(CURDIR)/tests/support/pgcluster.sh run ctest -L bench --output-on-failure --verbose | grep -vE '^[0-9]+: (PASS|Config|\*\*\*)'
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen $(CURDIR)/tests/support/pgcluster.sh run ctest -LE bench --output-on-failure -j $(JOBS)
	$(CURDIR)/tests/support/pgcluster.sh run $(MAKE) sanitize

# The core tests (those without LibTorch) under ASan and UBSan, the fuzz corpora replayed,
# then each fuzzer for FUZZ_SECONDS from its corpus (copied: new finds stay out of the tree;
# a fixed seed, so a failure here reproduces). Clang and libFuzzer, no GUI: build/fuzz.
sanitize: deps
	@[ -f build/fuzz/build.ninja ] || cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target sanitized_checks
	cd build/fuzz && QT_QPA_PLATFORM=offscreen ctest -L sanitized --output-on-failure -j $(JOBS)
	for t in eventfile chrometrace specs; do \
	  corpus=$$(mktemp -d) && cp -r tests/fuzz/corpus/$$t/. $$corpus && \
	  build/fuzz/tests/fuzz/fuzz_$$t -seed=1 -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/ $$corpus 2>&1 \
	    | grep -E '^(Done|stat::number_of_executed_units|==.*ERROR|SUMMARY|artifact)' ; \
	  status=$${PIPESTATUS[0]}; rm -rf $$corpus; [ $$status -eq 0 ] || exit $$status; \
	done

deps:
	bash packaging/install-deps.sh

build: deps
	@[ -f $(BUILD)/build.ninja ] || cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS)

bench: build
	cd $(BUILD) && QT_QPA_PLATFORM=offscreen ctest -L bench --verbose

# The release .deb (packaging/cpack.cmake): the release preset, without tests, stripped by
# CPack; prints the package's size and its executables'. packaging/check-deb.sh installs it on
# a clean Debian 12 root.
package: deps
	@[ -f build/release/build.ninja ] || cmake --preset release
	cmake --build --preset release -j $(JOBS)
	cd build/release && cpack -G DEB
	@for deb in build/release/trainscope_*_amd64.deb; do \
	  echo "package: $$deb, $$(stat -c %s $$deb | numfmt --to=si)B"; \
	  dpkg-deb -c $$deb | awk '$$6 ~ /bin\/trainscope|trainscope-full$$/ {printf "package: %s %.1f MB\n", $$6, $$3 / 1e6}'; \
	done

format:
	git ls-files '*.h' '*.cpp' | xargs clang-format -i

clean:
	rm -rf build
