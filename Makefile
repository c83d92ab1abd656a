# Build, boot and test harness for the KVM/arm64 series in patches/<base>/.
# `make check` and `make demo` install what they need; see README.md.
#
# BASE selects the kernel base of the kernel steps (tree export kernel
# selftests initramfs boot-* gates): 6.12 (default) or 6.1. USER_BASE is the
# one base robust/ and the debug kernel run on (series v3: 6.12, default).

BUILD     := $(CURDIR)/build
S         := scripts
CPUS      := max cortex-a72
BASES     := 6.12 6.1
BASE      ?= 6.12
USER_BASE ?= 6.12
# DEMO_BASE: the base of the demo and the bench (vmm/ speaks the v3 uAPI,
# sync regs): the primary base.
DEMO_BASE ?= 6.12
# CHECK_DEBUG=1: make check also builds the debug kernel (KASAN, lockdep,
# UBSAN) and runs robust/debug.tests on it (robust-debug).
CHECK_DEBUG ?= 0
export BUILD BASE USER_BASE DEMO_BASE CHECK_DEBUG

ifeq ($(filter $(BASE),$(BASES)),)
$(error BASE=$(BASE): one of $(BASES))
endif
ifeq ($(filter $(USER_BASE),$(BASES)),)
$(error USER_BASE=$(USER_BASE): one of $(BASES))
endif

# The userspace steps' kernel, headers and debug kernel
UB   := BASE=$(USER_BASE)
UOBJ := $(BUILD)/$(USER_BASE)/kernel
DB   := BASE=$(DEMO_BASE)

.NOTPARALLEL:
.PHONY: help check demo bench deps tree export kernel selftests initramfs \
	$(addprefix boot-,$(CPUS)) summary clean

help:
	@echo "make check      both bases: build, KVM selftests on both CPUs, the rest on USER_BASE, summary"
	@echo "                CHECK_DEBUG=1: and the debug kernel (robust-debug)"
	@echo "make demo       run the demo VMM (demo/) in the guest on both CPUs (DEMO_BASE=$(DEMO_BASE))"
	@echo "make tree       build/BASE/linux = Debian's linux-source-BASE + patches/BASE/ (git am)"
	@echo "make export     patches/BASE/ = build/BASE/linux's commits after 'base' (format-patch)"
	@echo "steps: deps kernel selftests initramfs boot-max boot-cortex-a72 gates summary clean"
	@echo "BASE=$(BASE) (one of $(BASES)); USER_BASE=$(USER_BASE)"

# The test command: scripts/check.sh runs every step (scripts/check.mk, two chains),
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

# build/BASE/kvm.cpio: the selftests and tests/kvm-BASE.tests
initramfs:
	COMPLETE=1 $(S)/initramfs.sh $(BUILD)/$(BASE)/kvm.cpio tests/kvm-$(BASE).tests

# Results: build/results/selftests-BASE-CPU.tap
$(addprefix boot-,$(CPUS)): boot-%:
	$(S)/boot.sh $* $(BUILD)/$(BASE)/kvm.cpio selftests-$(BASE)-$*

summary:
	$(S)/summary.sh

# The harness's own test: planted faults (QEMU not starting, a panic before
# /init, a hang, rows never reporting, missing/truncated TAP) must fail;
# the planted-fault tables (*.faults) must still apply.
.PHONY: harness
harness:
	$(S)/harness-selftest.sh

# Kernel-quality gates on BASE's series (scripts/gates/gates.sh): checkpatch,
# codespell, kernel-doc, bisect, uapi, sparse, W=1, htmldocs ->
# build/results/gates-BASE.tap. An empty series passes each gate.
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
	$(MAKE) $(DB) tree kernel
	$(MAKE) demo-build
	$(MAKE) demo-run
demo-build:
	$(MAKE) -C demo BUILD=$(DEMO) TOPBUILD=$(BUILD)/$(DEMO_BASE)
	$(DB) SELFTESTS=0 $(S)/initramfs.sh $(DEMO)/demo.cpio $(DEMO)/rootfs/etc/demo.tests $(DEMO)/rootfs
demo-run:
	rm -f $(BUILD)/results/demo-*.tap
	ok=0; for cpu in $(CPUS); do \
		$(DB) SHOW=all $(S)/boot.sh $$cpu $(DEMO)/demo.cpio demo-$$cpu || ok=1; \
	done; exit $$ok

# The Linux guest's -icount figures (demo/README.md "Figures"): VMM start
# to /init and CPU online/offline, PSCI in userspace vs in the kernel, on
# each CPU (build/demo/figures-CPU.txt).
.PHONY: demo-figures
demo-figures: deps
	$(MAKE) $(DB) tree kernel
	$(MAKE) demo-build
	for cpu in $(CPUS); do $(DB) CPU=$$cpu demo/linux-figures.sh || exit 1; done

# The bench's smoke test (make check): build/results/bench-smoke.tap
.PHONY: bench-smoke
bench-smoke:
	$(DB) $(MAKE) -C bench BUILD=$(BUILD)/bench smoke

bench: deps
	@test -f bench/Makefile || { echo "make bench: bench/Makefile does not exist yet" >&2; exit 1; }
	$(MAKE) $(DB) tree kernel
	$(DB) $(MAKE) -C bench BUILD=$(BUILD)/bench

# Robustness checks (robust/README.md, issue #6): robust/'s rows on both
# CPUs with build/USER_BASE/kernel, then on the debug kernel
# (config/debug.config in build/USER_BASE/kernel-debug, same source tree)
# together with the series' selftests.
ROBUST := $(BUILD)/robust
.PHONY: robust robust-build robust-apps kernel-debug $(addprefix robust-,$(CPUS) debug)
robust: deps
	$(MAKE) $(UB) tree kernel selftests
	$(MAKE) robust-build
	ok=0; for t in $(addprefix robust-,$(CPUS) debug); do $(MAKE) $$t || ok=1; done; exit $$ok
robust-build: kernel-debug robust-apps
robust-apps:
	$(MAKE) -C robust BUILD=$(ROBUST) KHDR=$(UOBJ)/usr/include IMAGE=$(UOBJ)/arch/arm64/boot/Image
	$(UB) SELFTESTS=0 $(S)/initramfs.sh $(ROBUST)/robust.cpio $(ROBUST)/rootfs/etc/robust.tests $(ROBUST)/rootfs
	$(UB) $(S)/initramfs.sh $(ROBUST)/debug.cpio $(ROBUST)/rootfs/etc/debug.tests $(ROBUST)/rootfs
kernel-debug:
	$(UB) KOBJ=$(UOBJ)-debug FRAGMENTS="config/kvm.config config/debug.config" $(S)/kernel.sh
$(addprefix robust-,$(CPUS)): robust-%:
	$(UB) $(S)/boot.sh $* $(ROBUST)/robust.cpio robust-$*
robust-debug:
	$(UB) KOBJ=$(UOBJ)-debug $(S)/boot.sh max $(ROBUST)/debug.cpio debug-max

clean:
	rm -rf $(addprefix $(BUILD)/,$(addsuffix /kernel,$(BASES)) $(addsuffix /kernel-debug,$(BASES)) \
		$(addsuffix /gates,$(BASES)) $(addsuffix /base,$(BASES)) $(addsuffix /kvm.cpio,$(BASES)) \
		$(addsuffix /kvm.root,$(BASES))) \
		$(BUILD)/results $(BUILD)/logs $(BUILD)/logs.old $(BUILD)/*.cpio $(BUILD)/*.root \
		$(BUILD)/robust $(BUILD)/demo $(BUILD)/bench $(BUILD)/gates-selftest
