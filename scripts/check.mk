# scripts/check.mk: the steps of `make check` after `make deps` and what
# each one needs; scripts/check.sh runs it with `make -j2`.
#
# Two chains share the two cores, one job slot each:
#   build: each base's tree, kernel, selftests and initramfs, the primary
#          first, the robust and demo binaries and the debug kernel right
#          after USER_BASE's, then the gates of each base (each step a
#          make -j$JOBS);
#   qemu:  the QEMU runs, one at a time (TCG keeps about one core busy,
#          and a run's timeouts are wall-clock), in the order below, each
#          as soon as what it needs is built.
# A step of a chain waits for the one before it (an order-only
# prerequisite), and for the steps it needs (NEEDS, checked by
# scripts/step.sh, which also runs, logs and records every step). A step
# whose needs failed is not run and says so; its chain goes on.
#
# Env (from check.sh): BASES (primary first), USER_BASE, DEMO_BASE, BUILD,
# CHECK_DEBUG.

TOP     := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
L       := $(BUILD)/logs/check
PRIMARY := $(firstword $(BASES))
OTHERS  := $(wordlist 2,$(words $(BASES)),$(BASES))
CPUS    := max cortex-a72
M       ?= $(MAKE) -s -C $(TOP)

# $(call chain,STEP...): each step after the one before it
chain = $(if $(word 2,$1),$(eval $(L)/$(word 2,$1): | $(L)/$(firstword $1))$(call chain,$(wordlist 2,$(words $1),$1)))

# The build chain
BASE_STEPS = $(foreach s,tree kernel selftests initramfs,$(s)-$1)
# robust/'s and the demo's binaries as soon as their base is built, and
# with CHECK_DEBUG=1 the debug kernel: robust-debug is the longest QEMU
# run. Without it a cold make check fits in an hour on 2 cores (README.md).
DEBUG       := $(filter 1,$(CHECK_DEBUG))
USER_STEPS  := apps $(if $(DEBUG),kernel-debug)
BUILD_CHAIN := $(foreach b,$(BASES),$(call BASE_STEPS,$(b)) \
	$(if $(filter $(b),$(USER_BASE)),$(USER_STEPS))) $(addprefix gates-,$(BASES))

define base_rules
$(L)/tree-$1:
	$(TOP)/scripts/step.sh build tree-$1 - $(M) tree BASE=$1
$(L)/kernel-$1:
	$(TOP)/scripts/step.sh build kernel-$1 tree-$1 $(M) kernel BASE=$1
$(L)/selftests-$1:
	$(TOP)/scripts/step.sh build selftests-$1 kernel-$1 $(M) selftests BASE=$1
$(L)/initramfs-$1:
	$(TOP)/scripts/step.sh build initramfs-$1 selftests-$1 $(M) initramfs BASE=$1
$(L)/gates-$1:
	$(TOP)/scripts/step.sh gates gates-$1 tree-$1 $(M) gates BASE=$1
$(foreach c,$(CPUS),
$(L)/boot-$1-$(c):
	$(TOP)/scripts/step.sh qemu boot-$1-$(c) initramfs-$1 $(M) boot-$(c) BASE=$1
)
endef
$(foreach b,$(BASES),$(eval $(call base_rules,$(b))))

$(L)/apps:
	$(TOP)/scripts/step.sh build apps kernel-$(USER_BASE),kernel-$(DEMO_BASE) $(M) robust-apps demo-build
$(L)/kernel-debug:
	$(TOP)/scripts/step.sh build kernel-debug tree-$(USER_BASE) $(M) kernel-debug

# The QEMU chain, in the order the steps' needs are built
QEMU_CHAIN := $(foreach c,$(CPUS),boot-$(PRIMARY)-$(c)) harness demo \
	$(addprefix robust-,$(CPUS)) $(if $(DEBUG),robust-debug) bench-smoke \
	$(foreach b,$(OTHERS),$(foreach c,$(CPUS),boot-$(b)-$(c)))

$(L)/harness: | $(L)/initramfs-$(PRIMARY)
	$(TOP)/scripts/step.sh qemu harness kernel-$(PRIMARY) $(M) harness
$(L)/demo: | $(L)/apps
	$(TOP)/scripts/step.sh qemu demo apps $(M) demo-run
$(foreach c,$(CPUS),$(eval $(L)/robust-$(c): | $(L)/apps))
$(addprefix $(L)/robust-,$(CPUS)): $(L)/robust-%:
	$(TOP)/scripts/step.sh qemu robust-$* apps $(M) robust-$*
$(L)/bench-smoke: | $(L)/kernel-$(DEMO_BASE)
	$(TOP)/scripts/step.sh qemu bench-smoke kernel-$(DEMO_BASE) $(M) bench-smoke
$(L)/robust-debug: | $(L)/apps $(L)/kernel-debug
	$(TOP)/scripts/step.sh qemu robust-debug apps,kernel-debug $(M) robust-debug
$(foreach b,$(OTHERS),$(foreach c,$(CPUS),$(eval $(L)/boot-$(b)-$(c): | $(L)/initramfs-$(b))))

$(call chain,$(BUILD_CHAIN))
$(call chain,$(QEMU_CHAIN))
# The QEMU chain starts once the primary base is built.
$(L)/$(firstword $(QEMU_CHAIN)): | $(L)/initramfs-$(PRIMARY)

.PHONY: all
all: $(addprefix $(L)/,$(BUILD_CHAIN) $(QEMU_CHAIN))
.DEFAULT_GOAL := all

# The TAP files STEPS leave (default: every QEMU run and gate), for
# check.sh's results/expected
STEPS ?= $(QEMU_CHAIN) $(addprefix gates-,$(BASES))
.PHONY: expected
expected:
	@for s in $(STEPS); do \
		case $$s in \
		boot-*)		echo selftests-$${s#boot-}.tap ;; \
		robust-debug)	echo debug-max.tap ;; \
		demo)		echo demo-max.tap; echo demo-cortex-a72.tap ;; \
		*)		echo $$s.tap ;; \
		esac; \
	done
