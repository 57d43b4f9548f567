# Two commands do everything on a fresh machine (see the README):
#   make bench   set up, build (release) and run the main job: SpMM on the pruned ResNet-50 layers
#   make test    set up and run the test suite (what CI runs)
# DATA is the folder with the DLMC files (default ../shared/data; see the README to download them).
DATA ?= ../shared/data
SPARSITY ?= 0.9

.PHONY: setup build bench test
setup:
	@scripts/setup.sh

build: setup
	swift build -c release

bench: build
	. .sparrow/env && .build/release/sparrow bench spmm --suite dlmc-rn50 --sparsity $(SPARSITY) --data $(DATA)

test: setup
	. .sparrow/env && swift test
