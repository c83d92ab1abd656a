# SPDX-License-Identifier: GPL-2.0
#
# vmm/, the VMM library, for the programs built on it (demo/, bench/,
# robust/). Include after setting TOPBUILD (the harness's build dir) if
# it is not $(BUILD)/..; then compile $(VMM_SRCS) with $(VMM_CFLAGS) and
# depend on $(VMM_DEPS).
#
# KHDR, the kernel's "make headers" output, is searched before the system
# headers so that the series' own uAPI wins over smccc.c's fallbacks.
# Without KHDR, $(TOPBUILD)/kernel/usr/include is used if its kvm.h has the
# series; else the system headers (smccc.c's fallbacks stand in).

VMM		:= $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
CROSS_COMPILE	?= aarch64-linux-gnu-
CC		:= $(CROSS_COMPILE)gcc
LD		:= $(CROSS_COMPILE)ld
OBJCOPY		:= $(CROSS_COMPILE)objcopy
TOPBUILD	?= $(abspath $(BUILD)/..)
KHDR		?=

ifeq ($(KHDR),)
KHDR		:= $(patsubst %/linux/kvm.h,%,$(shell grep -ls KVM_CAP_ARM_HYPERCALL_TO_USER \
			$(TOPBUILD)/kernel/usr/include/linux/kvm.h 2>/dev/null))
endif
ifneq ($(KHDR),)
ifeq ($(wildcard $(KHDR)/linux/kvm.h),)
$(error KHDR=$(KHDR) has no linux/kvm.h (run the kernel's "make headers" first))
endif
KHDR_FLAGS	:= -isystem $(KHDR)
KHDR_DEPS	:= $(KHDR)/linux/kvm.h $(wildcard $(KHDR)/asm/kvm.h)
endif

VMM_SRCS	:= $(addprefix $(VMM)/,util.c vm.c vcpu.c smccc.c service.c decode.c psci.c \
			   ffa.c ffa-optee.c optee.c optee-ta.c)
VMM_HDRS	:= $(addprefix $(VMM)/,vmm.h exit.h smccc.h smccc-ids.h service.h psci.h \
			   ffa.h optee.h optee-ids.h)
VMM_DEPS	:= $(VMM_SRCS) $(VMM_HDRS) $(KHDR_DEPS)
# What booting Linux takes (demo/linux): add these, their header and -lfdt
# (Debian's arm64 libfdt-dev).
VMM_BOOT_SRCS	:= $(addprefix $(VMM)/,loader.c fdt.c gic.c uart.c)
VMM_BOOT_DEPS	:= $(VMM_BOOT_SRCS) $(VMM)/boot.h
# -fno-strict-aliasing: smccc.c views the exit union through its own struct.
# -flto: the library and the program are one unit, so the exit loop, the
# KVM_RUN wrapper and the exit view inline into the program's handlers
# (bench/README.md has what that saves).
VMM_CFLAGS	:= -static -O2 -flto -fno-strict-aliasing -Wall -Wextra -pthread -I$(VMM) $(KHDR_FLAGS)

# Guest payloads: link <obj>.o at GUEST_BASE (the program's) with -N, one
# RWX segment, so that the binary is the loaded image.
VMM_PAYLOAD_LD	= $(LD) -N -e _start -Ttext=$(GUEST_BASE) --no-warn-rwx-segments
