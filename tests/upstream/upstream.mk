# SPDX-License-Identifier: GPL-2.0-only
# Read after the 6.1 selftests' kvm/Makefile (make -f Makefile -f this):
# build upstream's tests, extracted from linux-source-6.12 by
# scripts/selftests.sh, with that Makefile's own CFLAGS, LDFLAGS and
# library objects, plus the library shim UPSTREAM_SHIM forced in.
#   UPSTREAM_SRC   upstream's smccc_filter.c, as extracted
#   UPSTREAM_SHIM  tests/upstream/lib-6.12.h
UPSTREAM_BIN := $(OUTPUT)/aarch64/smccc_filter_upstream

.PHONY: upstream
upstream: $(UPSTREAM_BIN)

$(UPSTREAM_BIN): CFLAGS += -include $(UPSTREAM_SHIM)
$(UPSTREAM_BIN): $(UPSTREAM_SRC) $(UPSTREAM_SHIM) $(LIBKVM_OBJS)
	$(LINK.c) $(filter-out $(UPSTREAM_SHIM),$^) $(LDLIBS) -o $@
