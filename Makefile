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

# The test command: scripts/check.sh runs every step (two lanes, see there),
# then the summary of build/results/*.tap decides.
check: deps
	-$(S)/check.sh
	$(S)/summary.sh

deps:
	$(S)/deps.sh $(wildcard $(CURDIR)/config/packages $(CURDIR)/config/gates/packages $(CURDIR)/demo/packages)

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

# The harness's own test: planted faults (QEMU not starting, a panic before
# /init, a hang, rows never reporting, missing/truncated TAP) must fail.
.PHONY: harness
harness:
	$(S)/harness-selftest.sh

# Kernel-quality gates on the series (scripts/gates/gates.sh): checkpatch,
# codespell, kernel-doc, bisect, uapi, sparse, W=1, htmldocs -> build/results/gates.tap.
.PHONY: gates
gates:
	$(MAKE) tree
	$(S)/gates/gates.sh

# The demo: demo/Makefile puts static binaries and etc/demo.tests into
# $(BUILD)/demo/rootfs; the guest runs that table on both CPUs.
DEMO := $(BUILD)/demo
.PHONY: demo-build demo-run
demo: deps
	@test -f demo/Makefile || { echo "make demo: demo/Makefile does not exist yet" >&2; exit 1; }
	$(MAKE) tree kernel demo-build
	$(MAKE) demo-run
demo-build:
	$(MAKE) -C demo BUILD=$(DEMO)
	SELFTESTS=0 $(S)/initramfs.sh $(DEMO)/demo.cpio $(DEMO)/rootfs/etc/demo.tests $(DEMO)/rootfs
demo-run:
	rm -f $(BUILD)/results/demo-*.tap
	ok=0; for cpu in $(CPUS); do \
		SHOW=all $(S)/boot.sh $$cpu $(DEMO)/demo.cpio demo-$$cpu || ok=1; \
	done; exit $$ok

# The Linux guest's -icount figures (demo/README.md "Figures"): VMM start
# to /init and CPU online/offline, PSCI in userspace vs in the kernel.
.PHONY: demo-figures
demo-figures: deps
	$(MAKE) tree kernel demo-build
	demo/linux-figures.sh

bench: deps
	@test -f bench/Makefile || { echo "make bench: bench/Makefile does not exist yet" >&2; exit 1; }
	$(MAKE) tree kernel
	$(MAKE) -C bench BUILD=$(BUILD)/bench

# Robustness checks (robust/README.md, issue #6): robust/'s rows on both
# CPUs with build/kernel, then on the debug kernel (config/debug.config in
# build/kernel-debug, same source tree) together with the series' selftests.
ROBUST := $(BUILD)/robust
.PHONY: robust robust-build robust-apps kernel-debug $(addprefix robust-,$(CPUS) debug)
robust: deps
	$(MAKE) tree kernel selftests robust-build
	ok=0; for t in $(addprefix robust-,$(CPUS) debug); do $(MAKE) $$t || ok=1; done; exit $$ok
robust-build: kernel-debug robust-apps
robust-apps:
	$(MAKE) -C robust BUILD=$(ROBUST) KHDR=$(BUILD)/kernel/usr/include
	SELFTESTS=0 $(S)/initramfs.sh $(ROBUST)/robust.cpio $(ROBUST)/rootfs/etc/robust.tests $(ROBUST)/rootfs
	$(S)/initramfs.sh $(ROBUST)/debug.cpio $(ROBUST)/rootfs/etc/debug.tests $(ROBUST)/rootfs
kernel-debug:
	KOBJ=$(BUILD)/kernel-debug FRAGMENTS="config/kvm.config config/debug.config" $(S)/kernel.sh
$(addprefix robust-,$(CPUS)): robust-%:
	$(S)/boot.sh $* $(ROBUST)/robust.cpio robust-$*
robust-debug:
	KOBJ=$(BUILD)/kernel-debug $(S)/boot.sh max $(ROBUST)/debug.cpio debug-max

clean:
	rm -rf $(BUILD)/kernel $(BUILD)/kernel-debug $(BUILD)/results $(BUILD)/logs \
		$(BUILD)/logs.old $(BUILD)/*.cpio $(BUILD)/*.root $(BUILD)/robust $(BUILD)/demo \
		$(BUILD)/bench $(BUILD)/gates $(BUILD)/gates-selftest
