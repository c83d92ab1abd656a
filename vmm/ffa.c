// SPDX-License-Identifier: GPL-2.0
/*
 * FF-A v1.1 (Arm DEN0077) in the VMM: the partition manager's side of the
 * setup and discovery calls and of direct messaging, for one guest and one
 * partition of the VMM's own. Numbers from smccc-ids.h. The state is this
 * file's, under ffa_lock (the guest's vCPUs call concurrently).
 *
 * Status codes where the spec leaves a choice (the table of each call):
 *  - FFA_RXTX_MAP: a pair already mapped is DENIED; an address not 4 KiB
 *    aligned, not inside guest RAM, overlapping the other buffer, a page
 *    count of 0 or above FFA_MAX_PAGES, reserved bits set: INVALID_PARAMETERS.
 *  - FFA_RXTX_UNMAP, FFA_RX_RELEASE: an ID in w1 (a hypervisor's field) is
 *    INVALID_PARAMETERS; nothing mapped is INVALID_PARAMETERS for UNMAP;
 *    releasing an RX buffer the caller does not own is DENIED.
 *  - FFA_PARTITION_INFO_GET: an unknown UUID is INVALID_PARAMETERS; no RX
 *    buffer, or one the caller still owns, is BUSY (Hafnium's choice for
 *    the former); descriptors that do not fit are NO_MEMORY.
 *  - FFA_MSG_SEND_DIRECT_REQ: a sender that is not the caller's ID, a
 *    receiver that is no partition, a framework message or reserved bits
 *    in w2: INVALID_PARAMETERS.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ffa.h"

/* RX and TX buffers: at most 16 pages each (the field allows 63) */
#define FFA_MAX_PAGES		16
#define FFA_RXTX_COUNT_MASK	0x3f
/* PARTITION_INFO_GET w5: return the count only; the other bits MBZ */
#define FFA_INFO_COUNT_ONLY	1u
/* Partition properties (v1.1): receives direct requests, runs AArch64 */
#define FFA_PROP_DIRECT_RECV	(1u << 0)
#define FFA_PROP_AARCH64	(1u << 8)
/* Descriptor sizes: v1.1 (id, count, properties, uuid) and v1.0 (no uuid) */
#define FFA_DESC_SIZE		24
#define FFA_DESC_SIZE_1_0	8

static pthread_mutex_t ffa_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vm *ffa_vm;
static struct ffa_config cfg;
static struct {
	bool mapped;
	uint64_t tx, rx;		/* guest physical, checked at map time */
	unsigned int pages;
	bool rx_guest_owned;		/* after PARTITION_INFO_GET, until RX_RELEASE */
	uint32_t caller_version;	/* what the guest asked FFA_VERSION for */
} st;
static struct ffa_stats stats;

/* As at power-on: no buffers, a v1.1 caller until FFA_VERSION says otherwise */
static void reset_locked(void)
{
	memset(&st, 0, sizeof(st));
	st.caller_version = FFA_VERSION_1_1;
}

void ffa__init(struct vm *vm, const struct ffa_config *config)
{
	pthread_mutex_lock(&ffa_lock);
	ffa_vm = vm;
	cfg = *config;
	reset_locked();
	pthread_mutex_unlock(&ffa_lock);
}

void ffa__reset(void)
{
	pthread_mutex_lock(&ffa_lock);
	reset_locked();
	pthread_mutex_unlock(&ffa_lock);
}

struct ffa_stats ffa__stats(void)
{
	struct ffa_stats s;

	pthread_mutex_lock(&ffa_lock);
	s = stats;
	pthread_mutex_unlock(&ffa_lock);
	return s;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* 32 hex digits, dashes anywhere between byte pairs */
int ffa__parse_uuid(const char *s, uint8_t uuid[16])
{
	int n = 0;

	for (const char *p = s; *p; p++) {
		int hi, lo;

		if (*p == '-')
			continue;
		hi = hex_digit(p[0]);
		lo = hi < 0 ? -1 : hex_digit(p[1]);
		if (n == 16 || lo < 0)
			return -EINVAL;
		uuid[n++] = hi << 4 | lo;
		p++;
	}
	return n == 16 ? 0 : -EINVAL;
}

char *ffa__format_uuid(const uint8_t u[16], char *buf, size_t size)
{
	snprintf(buf, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5], u[6],
		 u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	return buf;
}

static const char *status_name(int32_t status)
{
	static const char *const names[] = {
		"SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "NO_MEMORY",
		"BUSY", "INTERRUPTED", "DENIED", "RETRY", "ABORTED", "NO_DATA",
	};

	return status <= 0 && -status < (int32_t)ARRAY_SIZE(names) ? names[-status] : "?";
}

/* Results: x1..x7 cleared (FF-A: unused result registers MBZ), x8..x17 kept */
static void answer(uint64_t *r, uint32_t fid, uint64_t w1, uint64_t w2, uint64_t w3)
{
	memset(&r[1], 0, 7 * sizeof(r[0]));
	r[0] = fid;
	r[1] = w1;
	r[2] = w2;
	r[3] = w3;
}

static int32_t error(uint64_t *r, struct smccc_call *c, int32_t status)
{
	answer(r, FID_FFA_ERROR, 0, (uint32_t)status, 0);
	snprintf(c->note, sizeof(c->note), "FFA_ERROR %s", status_name(status));
	stats.errors++;
	return status;
}

static int32_t success(uint64_t *r, struct smccc_call *c, uint64_t w2, uint64_t w3)
{
	answer(r, FID_FFA_SUCCESS, 0, w2, w3);
	snprintf(c->note, sizeof(c->note), "FFA_SUCCESS");
	return FFA_OK;
}

/* The calls this service implements: also FFA_FEATURES' answer */
static bool implemented(uint32_t fid)
{
	switch (fid) {
	case FID_FFA_ERROR:
	case FID_FFA_SUCCESS:
	case FID_FFA_VERSION:
	case FID_FFA_FEATURES:
	case FID_FFA_RX_RELEASE:
	case FID_FFA_RXTX_MAP:
	case FID_FFA_RXTX_MAP64:
	case FID_FFA_RXTX_UNMAP:
	case FID_FFA_PARTITION_INFO_GET:
	case FID_FFA_ID_GET:
	case FID_FFA_MSG_SEND_DIRECT_REQ:
	case FID_FFA_MSG_SEND_DIRECT_REQ64:
		return true;
	default:
		return false;
	}
}

/* [gpa, gpa + pages * 4 KiB) inside guest RAM and 4 KiB aligned */
static bool buffer_ok(uint64_t gpa, unsigned int pages)
{
	return gpa && !(gpa & (FFA_PAGE_SIZE - 1)) &&
	       vm__gpa_to_host(ffa_vm, gpa, (uint64_t)pages * FFA_PAGE_SIZE);
}

static int32_t rxtx_map(uint64_t *r, struct smccc_call *c, bool smc64)
{
	uint64_t tx = smc64 ? r[1] : (uint32_t)r[1];
	uint64_t rx = smc64 ? r[2] : (uint32_t)r[2];
	uint32_t w3 = r[3];
	unsigned int pages = w3 & FFA_RXTX_COUNT_MASK;
	uint64_t size = (uint64_t)pages * FFA_PAGE_SIZE;

	c->arg_hi = 3;
	if (st.mapped)
		return error(r, c, FFA_DENIED);
	if ((w3 & ~FFA_RXTX_COUNT_MASK) || !pages || pages > FFA_MAX_PAGES ||
	    !buffer_ok(tx, pages) || !buffer_ok(rx, pages) ||
	    (tx < rx + size && rx < tx + size))
		return error(r, c, FFA_INVALID_PARAMETERS);
	st.mapped = true;
	st.tx = tx;
	st.rx = rx;
	st.pages = pages;
	st.rx_guest_owned = false;
	stats.rxtx_map_ok++;
	return success(r, c, 0, 0);
}

static int32_t rxtx_unmap(uint64_t *r, struct smccc_call *c)
{
	c->arg_hi = 1;
	if ((uint32_t)r[1] || !st.mapped)
		return error(r, c, FFA_INVALID_PARAMETERS);
	st.mapped = false;
	st.rx_guest_owned = false;
	return success(r, c, 0, 0);
}

static int32_t rx_release(uint64_t *r, struct smccc_call *c)
{
	c->arg_hi = 1;
	if ((uint32_t)r[1])
		return error(r, c, FFA_INVALID_PARAMETERS);
	if (!st.mapped || !st.rx_guest_owned)
		return error(r, c, FFA_DENIED);
	st.rx_guest_owned = false;
	stats.rx_release_ok++;
	return success(r, c, 0, 0);
}

/* One v1.1 (24 bytes) or v1.0 (8 bytes) partition information descriptor */
static void put_desc(uint8_t *d, size_t size)
{
	uint32_t props = FFA_PROP_DIRECT_RECV | FFA_PROP_AARCH64;
	uint16_t contexts = ffa_vm->nr_vcpus;

	memset(d, 0, size);
	memcpy(d, &cfg.part_id, 2);		/* little-endian host, as the guest */
	memcpy(d + 2, &contexts, 2);
	memcpy(d + 4, &props, 4);
	if (size >= FFA_DESC_SIZE)
		memcpy(d + 8, cfg.uuid, 16);
}

static int32_t partition_info_get(uint64_t *r, struct smccc_call *c)
{
	uint8_t want[16], nul[16] = { 0 };
	uint32_t flags = r[5];
	bool v1_0 = st.caller_version < FFA_VERSION_1_1;
	size_t size = v1_0 ? FFA_DESC_SIZE_1_0 : FFA_DESC_SIZE;
	unsigned int count = 1;
	uint8_t *rx;

	c->arg_hi = 5;
	for (int i = 0; i < 4; i++) {
		uint32_t w = r[1 + i];

		memcpy(want + 4 * i, &w, 4);	/* w1..w4: the UUID's bytes, in order */
	}
	if (memcmp(want, nul, 16) && memcmp(want, cfg.uuid, 16))
		return error(r, c, FFA_INVALID_PARAMETERS);
	/* v1.0 callers have no flags (MBZ) */
	if ((flags & ~FFA_INFO_COUNT_ONLY) || (v1_0 && flags))
		return error(r, c, FFA_INVALID_PARAMETERS);
	if (flags & FFA_INFO_COUNT_ONLY) {
		/* no buffer used: RX ownership does not move */
		success(r, c, count, size);
		snprintf(c->note, sizeof(c->note), "FFA_SUCCESS %u partition(s), count only",
			 count);
		return FFA_OK;
	}
	if (!st.mapped || st.rx_guest_owned)
		return error(r, c, FFA_BUSY);
	if (count * size > (size_t)st.pages * FFA_PAGE_SIZE)
		return error(r, c, FFA_NO_MEMORY);
	rx = vm__gpa_to_host(ffa_vm, st.rx, count * size);
	if (!rx)	/* checked at map time; RAM does not move */
		return error(r, c, FFA_ABORTED);
	put_desc(rx, size);
	st.rx_guest_owned = true;
	stats.partition_info_ok++;
	success(r, c, count, v1_0 ? 0 : size);
	snprintf(c->note, sizeof(c->note), "FFA_SUCCESS %u partition(s) of %zu bytes in RX "
		 "at 0x%llx, RX now the guest's", count, size, (unsigned long long)st.rx);
	return FFA_OK;
}

/* The echo partition: x3 = x3+..+x7, x4..x7 = ~x7..~x4 */
static void echo(uint64_t d[5], bool smc64)
{
	uint64_t mask = smc64 ? ~0ULL : 0xffffffffULL, in[5], sum = 0;

	for (int i = 0; i < 5; i++) {
		in[i] = d[i];
		sum += in[i];
	}
	d[0] = sum & mask;
	for (int i = 1; i < 5; i++)
		d[i] = ~in[5 - i] & mask;
}

/* The request's w3..w7 (SMC32: 32 bits each) to the partition, its answer back */
static int32_t direct_req(uint64_t *r, struct smccc_call *c, bool smc64)
{
	uint64_t mask = smc64 ? ~0ULL : 0xffffffffULL, d[5];
	uint32_t w1 = r[1];
	uint16_t sender = w1 >> 16, receiver = w1 & 0xffff;

	c->arg_hi = 7;
	if (sender != cfg.vm_id || receiver != cfg.part_id || (uint32_t)r[2])
		return error(r, c, FFA_INVALID_PARAMETERS);
	for (int i = 0; i < 5; i++)
		d[i] = r[3 + i] & mask;
	(cfg.direct ? cfg.direct : echo)(d, smc64);
	answer(r, smc64 ? FID_FFA_MSG_SEND_DIRECT_RESP64 : FID_FFA_MSG_SEND_DIRECT_RESP,
	       (uint32_t)receiver << 16 | sender, 0, d[0] & mask);
	for (int i = 4; i <= 7; i++)
		r[i] = d[i - 3] & mask;
	stats.direct_req_ok++;
	snprintf(c->note, sizeof(c->note), "DIRECT_RESP from partition 0x%04x", receiver);
	return FFA_OK;
}

static int32_t features(uint64_t *r, struct smccc_call *c)
{
	uint32_t id = r[1], props = r[2];

	c->arg_hi = 2;
	/* bit 31 clear: a feature ID (interrupts: none here); its input MBZ */
	if (!(id & SMCCC_FAST) && props)
		return error(r, c, FFA_INVALID_PARAMETERS);
	if (!(id & SMCCC_FAST) || !implemented(id))
		return error(r, c, FFA_NOT_SUPPORTED);
	/* RXTX_MAP: minimum buffer size and alignment 4 KiB (w2 = 0) */
	return success(r, c, 0, 0);
}

static int32_t version(uint64_t *r, struct smccc_call *c)
{
	uint32_t asked = r[1];

	c->arg_hi = 1;
	memset(&r[1], 0, 7 * sizeof(r[0]));
	stats.version++;
	/* bit 31 MBZ: not a version this ABI knows */
	if (asked & 0x80000000u) {
		r[0] = (uint64_t)(int64_t)FFA_NOT_SUPPORTED;
		snprintf(c->note, sizeof(c->note), "NOT_SUPPORTED");
		return FFA_NOT_SUPPORTED;
	}
	st.caller_version = asked;
	r[0] = FFA_VERSION_1_1;
	snprintf(c->note, sizeof(c->note), "FF-A 1.1 (caller %u.%u)", asked >> 16,
		 asked & 0xffff);
	return FFA_OK;
}

bool ffa__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c)
{
	uint32_t fid = hypercall__fid(hc);
	uint64_t *r = hc->regs;

	(void)v;
	if (hc->imm || !ffa_vm || !smccc_is_ffa(fid))
		return false;
	c->kind = VMM_CALL_FFA;
	c->arg_lo = 1;
	c->arg_hi = 0;
	c->nres = 4;
	pthread_mutex_lock(&ffa_lock);
	stats.calls++;
	if ((fid & SMCCC_SMC64) && (hc->flags & VMM_HC_AARCH32)) {
		/* SMC64 from AArch32 is no valid call (SMCCC DEN0028) */
		error(r, c, FFA_NOT_SUPPORTED);
		goto out;
	}
	switch (fid) {
	case FID_FFA_VERSION:
		version(r, c);
		c->nres = 1;
		break;
	case FID_FFA_ID_GET:
		success(r, c, cfg.vm_id, 0);
		snprintf(c->note, sizeof(c->note), "FFA_SUCCESS ID 0x%04x", cfg.vm_id);
		break;
	case FID_FFA_FEATURES:
		features(r, c);
		break;
	case FID_FFA_RXTX_MAP:
	case FID_FFA_RXTX_MAP64:
		rxtx_map(r, c, fid & SMCCC_SMC64);
		break;
	case FID_FFA_RXTX_UNMAP:
		rxtx_unmap(r, c);
		break;
	case FID_FFA_RX_RELEASE:
		rx_release(r, c);
		break;
	case FID_FFA_PARTITION_INFO_GET:
		partition_info_get(r, c);
		break;
	case FID_FFA_MSG_SEND_DIRECT_REQ:
	case FID_FFA_MSG_SEND_DIRECT_REQ64:
		direct_req(r, c, fid & SMCCC_SMC64);
		c->nres = 8;
		break;
	default:
		/* notifications, memory sharing, ...: as a firmware without them */
		c->arg_hi = 3;
		error(r, c, FFA_NOT_SUPPORTED);
		break;
	}
out:
	pthread_mutex_unlock(&ffa_lock);
	return true;
}
