# Build, boot and test harness for the KVM/arm64 series in patches/.
# `make check` and `make demo` install what they need; see README.md.

BUILD   := $(CURDIR)/build
S       := scripts
CPUS    := max cortex-a72
export BUILD

.NOTPARALLEL:
.PHONY: help check demo bench deps tree export kernel selftests initramfs \
	$(addprefix boot-,$(CPUS)) summary clean

help:
	@echo "make check      build everything, run the KVM selftests on both CPUs, summary"
	@echo "make demo       run the demo VMM (demo/) in the guest on both CPUs"
	@echo "make tree       build/linux = Debian's 6.1 source + patches/ (git am)"
	@echo "make export     patches/ = build/linux's commits after 'base' (format-patch)"
	@echo "steps: deps kernel selftests initramfs boot-max boot-cortex-a72 summary clean"

# The test command: build steps stop at the first error; both runs always
# happen and the summary decides.
check: deps
	rm -rf $(BUILD)/results
	$(MAKE) tree kernel selftests initramfs
	-$(MAKE) boot-max
	-$(MAKE) boot-cortex-a72
	$(S)/summary.sh

deps:
	$(S)/deps.sh $(wildcard $(CURDIR)/config/packages $(CURDIR)/demo/packages)

tree:
	$(S)/tree.sh

export:
	$(S)/export.sh

kernel:
	$(S)/kernel.sh

selftests:
	$(S)/selftests.sh

initramfs:
	$(S)/initramfs.sh $(BUILD)/kvm.cpio tests/kvm.tests

$(addprefix boot-,$(CPUS)): boot-%:
	$(S)/boot.sh $* $(BUILD)/kvm.cpio

summary:
	$(S)/summary.sh

# The demo: demo/Makefile puts static binaries and etc/demo.tests into
# $(BUILD)/demo/rootfs; the guest runs that table on both CPUs.
DEMO := $(BUILD)/demo
demo: deps
	@test -f demo/Makefile || { echo "make demo: demo/Makefile does not exist yet" >&2; exit 1; }
	$(MAKE) tree kernel
	$(MAKE) -C demo BUILD=$(DEMO)
	SELFTESTS=0 $(S)/initramfs.sh $(DEMO)/demo.cpio $(DEMO)/rootfs/etc/demo.tests $(DEMO)/rootfs
	rm -f $(BUILD)/results/demo-*.tap
	ok=0; for cpu in $(CPUS); do \
		SHOW=all $(S)/boot.sh $$cpu $(DEMO)/demo.cpio demo-$$cpu || ok=1; \
	done; exit $$ok

bench: deps
	@test -f bench/Makefile || { echo "make bench: bench/Makefile does not exist yet" >&2; exit 1; }
	$(MAKE) tree kernel
	$(MAKE) -C bench BUILD=$(BUILD)/bench

clean:
	rm -rf $(BUILD)/kernel $(BUILD)/results $(BUILD)/logs $(BUILD)/logs.old $(BUILD)/*.cpio $(BUILD)/*.root
