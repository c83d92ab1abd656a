// SPDX-License-Identifier: GPL-2.0
/*
 * Names for SMCCC function IDs (owner, service, call), the trace line
 * printed for every call and the handled ranges (service.h's API).
 */
#include <stdio.h>
#include <string.h>

#include "vmm.h"
#include "optee-ids.h"

/* SMCCC owning entity numbers (DEN0028, "Function Identifiers") */
static const char *const owners[64] = {
	[0] = "Arch",		[1] = "CPU",		[2] = "SiP",
	[3] = "OEM",		[4] = "Std-Secure",	[5] = "Std-Hyp",
	[6] = "Vendor-Hyp",	[7 ... 47] = "Reserved",
	[48 ... 49] = "Trusted-App",	[50 ... 63] = "Trusted-OS",
};

/* PSCI function numbers, same for SMC32 and SMC64 (ARM DEN 0022D) */
static const char *const psci_calls[FID_PSCI_NR] = {
	[0x00] = "VERSION",		[0x01] = "CPU_SUSPEND",
	[0x02] = "CPU_OFF",		[0x03] = "CPU_ON",
	[0x04] = "AFFINITY_INFO",	[0x05] = "MIGRATE",
	[0x06] = "MIGRATE_INFO_TYPE",	[0x07] = "MIGRATE_INFO_UP_CPU",
	[0x08] = "SYSTEM_OFF",		[0x09] = "SYSTEM_RESET",
	[0x0a] = "FEATURES",		[0x0b] = "CPU_FREEZE",
	[0x0c] = "CPU_DEFAULT_SUSPEND",	[0x0d] = "NODE_HW_STATE",
	[0x0e] = "SYSTEM_SUSPEND",	[0x0f] = "SET_SUSPEND_MODE",
	[0x10] = "STAT_RESIDENCY",	[0x11] = "STAT_COUNT",
	[0x12] = "SYSTEM_RESET2",	[0x13] = "MEM_PROTECT",
	[0x14] = "MEM_PROTECT_CHECK_RANGE",
};

/* FF-A function numbers 0x60.., same names for SMC32 and SMC64 (DEN0077) */
static const char *const ffa_calls[FFA_FN_LAST - FFA_FN_FIRST + 1] = {
	[0x00] = "ERROR",		[0x01] = "SUCCESS",
	[0x02] = "INTERRUPT",		[0x03] = "VERSION",
	[0x04] = "FEATURES",		[0x05] = "RX_RELEASE",
	[0x06] = "RXTX_MAP",		[0x07] = "RXTX_UNMAP",
	[0x08] = "PARTITION_INFO_GET",	[0x09] = "ID_GET",
	[0x0a] = "MSG_POLL",		[0x0b] = "MSG_WAIT",
	[0x0c] = "YIELD",		[0x0d] = "RUN",
	[0x0e] = "MSG_SEND",		[0x0f] = "MSG_SEND_DIRECT_REQ",
	[0x10] = "MSG_SEND_DIRECT_RESP", [0x11] = "MEM_DONATE",
	[0x12] = "MEM_LEND",		[0x13] = "MEM_SHARE",
	[0x14] = "MEM_RETRIEVE_REQ",	[0x15] = "MEM_RETRIEVE_RESP",
	[0x16] = "MEM_RELINQUISH",	[0x17] = "MEM_RECLAIM",
	[0x18] = "MEM_OP_PAUSE",	[0x19] = "MEM_OP_RESUME",
	[0x1a] = "MEM_FRAG_RX",		[0x1b] = "MEM_FRAG_TX",
	[0x1c] = "NORMAL_WORLD_RESUME",	[0x1d] = "NOTIFICATION_BITMAP_CREATE",
	[0x1e] = "NOTIFICATION_BITMAP_DESTROY", [0x1f] = "NOTIFICATION_BIND",
	[0x20] = "NOTIFICATION_UNBIND",	[0x21] = "NOTIFICATION_SET",
	[0x22] = "NOTIFICATION_GET",	[0x23] = "NOTIFICATION_INFO_GET",
	[0x24] = "RX_ACQUIRE",		[0x25] = "SPM_ID_GET",
	[0x26] = "MSG_SEND2",		[0x27] = "SECONDARY_EP_REGISTER",
	[0x28] = "MEM_PERM_GET",	[0x29] = "MEM_PERM_SET",
	[0x2a] = "CONSOLE_LOG",		[0x2b] = "PARTITION_INFO_GET_REGS",
	[0x2c] = "EL3_INTR_HANDLE",	[0x2d] = "MSG_SEND_DIRECT_REQ2",
	[0x2e] = "MSG_SEND_DIRECT_RESP2",
};

/* Other IDs with a name: what KVM implements */
static const struct smccc_name kvm_calls[] = {
	{ FID_SMCCC_VERSION, "SMCCC.VERSION" },
	{ FID_ARCH_FEATURES, "SMCCC.ARCH_FEATURES" },
	{ FID_SOC_ID, "SMCCC.SOC_ID" },
	{ FID_WORKAROUND_3, "SMCCC.WORKAROUND_3" },
	{ FID_WORKAROUND_2, "SMCCC.WORKAROUND_2" },
	{ FID_WORKAROUND_1, "SMCCC.WORKAROUND_1" },
	{ FID_TRNG_VERSION, "TRNG.VERSION" },
	{ FID_TRNG_FEATURES, "TRNG.FEATURES" },
	{ FID_TRNG_GET_UUID, "TRNG.GET_UUID" },
	{ FID_TRNG_RND32, "TRNG.RND32" },
	{ FID_TRNG_RND64, "TRNG.RND64" },
	{ FID_KVM_FEATURES, "KVM.FEATURES" },
	{ FID_KVM_PTP, "KVM.PTP" },
	{ FID_VENDOR_UID, "KVM.CALL_UID" },
	{ FID_PV_TIME_FEATURES, "PV_TIME.FEATURES" },
	{ FID_PV_TIME_ST, "PV_TIME.ST" },
	{ FID_PSCI01_BASE + 0, "KVM-PSCI-0.1.CPU_SUSPEND" },
	{ FID_PSCI01_BASE + 1, "KVM-PSCI-0.1.CPU_OFF" },
	{ FID_PSCI01_BASE + 2, "KVM-PSCI-0.1.CPU_ON" },
	{ FID_PSCI01_BASE + 3, "KVM-PSCI-0.1.MIGRATE" },
};

/* OP-TEE's SMC ABI (optee-ids.h): Trusted OS calls a guest makes */
static const struct smccc_name optee_calls[] = {
	{ OPTEE_SMC_CALLS_COUNT, "OP-TEE.CALLS_COUNT" },
	{ OPTEE_SMC_CALLS_UID, "OP-TEE.CALLS_UID" },
	{ OPTEE_SMC_CALLS_REVISION, "OP-TEE.CALLS_REVISION" },
	{ OPTEE_SMC_GET_OS_UUID, "OP-TEE.GET_OS_UUID" },
	{ OPTEE_SMC_GET_OS_REVISION, "OP-TEE.GET_OS_REVISION" },
	{ OPTEE_SMC_RETURN_FROM_RPC, "OP-TEE.RETURN_FROM_RPC" },
	{ OPTEE_SMC_CALL_WITH_ARG, "OP-TEE.CALL_WITH_ARG" },
	{ OPTEE_SMC_GET_SHM_CONFIG, "OP-TEE.GET_SHM_CONFIG" },
	{ OPTEE_SMC_EXCHANGE_CAPABILITIES, "OP-TEE.EXCHANGE_CAPABILITIES" },
	{ OPTEE_SMC_DISABLE_SHM_CACHE, "OP-TEE.DISABLE_SHM_CACHE" },
	{ OPTEE_SMC_ENABLE_SHM_CACHE, "OP-TEE.ENABLE_SHM_CACHE" },
	{ OPTEE_SMC_GET_THREAD_COUNT, "OP-TEE.GET_THREAD_COUNT" },
	{ OPTEE_SMC_ENABLE_ASYNC_NOTIF, "OP-TEE.ENABLE_ASYNC_NOTIF" },
	{ OPTEE_SMC_GET_ASYNC_NOTIF_VALUE, "OP-TEE.GET_ASYNC_NOTIF_VALUE" },
	{ OPTEE_SMC_CALL_WITH_RPC_ARG, "OP-TEE.CALL_WITH_RPC_ARG" },
	{ OPTEE_SMC_CALL_WITH_REGD_ARG, "OP-TEE.CALL_WITH_REGD_ARG" },
};

/* The program's own (decode__add_names) */
static const struct smccc_name *extra;
static int nr_extra;

void decode__add_names(const struct smccc_name *names, int nr)
{
	extra = names;
	nr_extra = nr;
}

static const char *call_name(uint32_t fid)
{
	for (size_t i = 0; i < ARRAY_SIZE(kvm_calls); i++)
		if (kvm_calls[i].fid == fid)
			return kvm_calls[i].name;
	for (size_t i = 0; i < ARRAY_SIZE(optee_calls); i++)
		if (optee_calls[i].fid == fid)
			return optee_calls[i].name;
	for (int i = 0; i < nr_extra; i++)
		if (extra[i].fid == fid)
			return extra[i].name;
	return NULL;
}

void decode__fid(uint32_t fid, char *buf, size_t size)
{
	const char *owner = owners[SMCCC_OWNER(fid)], *name = call_name(fid);
	uint32_t fn = SMCCC_FUNC(fid);

	if (!(fid & SMCCC_FAST) && !name) {
		snprintf(buf, size, "%s:yielding-0x%04x", owner, fn);
		return;
	}
	if (smccc_is_psci(fid) && psci_calls[smccc_psci_fn(fid)]) {
		snprintf(buf, size, "%s:PSCI.%s", owner, psci_calls[smccc_psci_fn(fid)]);
		return;
	}
	if (smccc_is_ffa(fid) && ffa_calls[fn - FFA_FN_FIRST]) {
		snprintf(buf, size, "%s:FF-A.%s%s", owner, ffa_calls[fn - FFA_FN_FIRST],
			 fid & SMCCC_SMC64 ? "64" : "");
		return;
	}
	if (name)
		snprintf(buf, size, "%s:%s", owner, name);
	else
		snprintf(buf, size, "%s:0x%04x", owner, fn);
}

/* Small negative values (error codes) in decimal, the rest in hex. */
static int fmt_val(char *buf, size_t size, uint64_t v)
{
	if ((int64_t)v < 0 && (int64_t)v > -256)
		return snprintf(buf, size, "%lld", (long long)v);
	return snprintf(buf, size, "0x%llx", (unsigned long long)v);
}

/* "x1=.. x2=.." for x<lo>..x<hi>; long runs as first two .. last */
static size_t fmt_regs(char *buf, size_t size, const uint64_t *r, int lo, int hi)
{
	size_t n = 0;

	for (int i = lo; i <= hi && n < size; i++) {
		if (hi - lo > 3 && i == lo + 2) {
			n += snprintf(buf + n, size - n, " ..");
			i = hi - 1;
			continue;
		}
		n += snprintf(buf + n, size - n, "%sx%d=", i == lo ? "" : " ", i);
		if (n < size)
			n += fmt_val(buf + n, size - n, r[i]);
	}
	return n < size ? n : size - 1;
}

void decode__trace(const struct vcpu *v, const struct vmm_hypercall *hc,
		   const uint64_t *in, const struct smccc_call *c)
{
	char line[640], name[64], conduit[16];
	bool smc = hc->flags & VMM_HC_SMC;
	size_t n;

	if (hc->imm) {
		snprintf(conduit, sizeof(conduit), "%s#%u", smc ? "SMC" : "HVC", hc->imm);
		snprintf(name, sizeof(name), "non-SMCCC %s", c->name ? c->name : "(unknown)");
	} else {
		snprintf(conduit, sizeof(conduit), "%s", smc ? "SMC" : "HVC");
		n = snprintf(name, sizeof(name), "0x%08x ", hypercall__fid(hc));
		decode__fid(hypercall__fid(hc), name + n, sizeof(name) - n);
	}
	n = snprintf(line, sizeof(line), "[vcpu%d] %-6s %s%s %s(", v->id, conduit,
		     hc->flags & VMM_HC_AARCH32 ? "A32" : "A64",
		     hc->flags & VMM_HC_16BIT ? "/T16" : "", name);
	if (c->arg_hi >= c->arg_lo)
		n += fmt_regs(line + n, sizeof(line) - n, in, c->arg_lo, c->arg_hi);
	n += snprintf(line + n, sizeof(line) - n, ")");
	if (n < sizeof(line) && c->nres > 0) {
		n += snprintf(line + n, sizeof(line) - n, " -> ");
		if (n < sizeof(line))
			n += fmt_regs(line + n, sizeof(line) - n, hc->regs, 0, c->nres - 1);
	}
	if (n < sizeof(line) && c->note[0])
		n += snprintf(line + n, sizeof(line) - n, " %s", c->note);
	/* one puts(): the other vCPUs' lines cannot land in between */
	if (n < sizeof(line) && c->dump)
		snprintf(line + n, sizeof(line) - n, "\n         debug: x4=0x%llx "
			 "x5=0x%llx x6=0x%llx x7=0x%llx", (unsigned long long)in[4],
			 (unsigned long long)in[5], (unsigned long long)in[6],
			 (unsigned long long)in[7]);
	puts(line);
}

void decode__ranges(const struct smccc_ranges *rg, const char *prefix)
{
	char first[64], last[64];

	printf("%s: the kernel keeps these SMCCC function IDs for this VM "
	       "(KVM_REG_ARM_FW_HANDLED_RANGE(n)):\n", prefix);
	for (unsigned int i = 0; i < rg->nr; i++) {
		uint32_t lo = rg->r[i].first, hi = rg->r[i].last;

		decode__fid(lo, first, sizeof(first));
		decode__fid(hi, last, sizeof(last));
		if (lo == hi)
			printf("%s:   [%2u] 0x%08x             %s  %s\n", prefix, i, lo,
			       lo & SMCCC_SMC64 ? "SMC64" : "SMC32", first);
		else
			printf("%s:   [%2u] 0x%08x-0x%08x  %s  %s .. %s\n", prefix, i, lo, hi,
			       lo & SMCCC_SMC64 ? "SMC64" : "SMC32", first,
			       strchr(last, ':') + 1);
	}
	if (rg->truncated)
		printf("%s: %u of %u ranges listed (KVM_REG_ARM_FW_HANDLED_NR); the "
		       "rest are not readable\n", prefix, rg->nr, rg->nr_kept);
	else
		printf("%s: %u ranges (KVM_REG_ARM_FW_HANDLED_NR); every other HVC/SMC "
		       "comes to this VMM\n", prefix, rg->nr);
}
