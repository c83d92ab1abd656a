// SPDX-License-Identifier: GPL-2.0
/*
 * Payload of robust/ffa: a hostile FF-A caller. Runs at EL1, MMU off, one
 * vCPU, freestanding (-mstrict-align: Device memory), linked at
 * FFA_GUEST_RAM_BASE by ffa_guest.lds. It throws bad FF-A calls at the
 * VMM's service (vmm/ffa.c) and checks that each gets the spec's status
 * code, then random ones checked against what any answer may be, then the
 * good sequence again: the service must still serve. Every case is
 * reported to the VMM (FFA_GUEST_CHECK), which prints it as a TAP line.
 */
#include <stdbool.h>
#include <stdint.h>

#include "smccc-ids.h"
#include "ffa_abi.h"

#define STR_(x)		#x
#define STR(x)		STR_(x)

/* Entry: a stack, then main(); SYSTEM_OFF is main's last call */
asm(".section .text.start, \"ax\"\n"
    ".global _start\n"
    "_start:\n"
    "	ldr	x0, =" STR(FFA_GUEST_STACK_TOP) "\n"
    "	mov	sp, x0\n"
    "	bl	main\n"
    "1:	wfi\n"
    "	b	1b\n"
    "	.ltorg\n"
    ".previous\n");

/* gcc may call these for struct copies and zeroing */
void *memset(void *d, int c, unsigned long n)
{
	volatile uint8_t *p = d;

	while (n--)
		*p++ = c;
	return d;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	volatile uint8_t *p = d;
	const volatile uint8_t *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

struct regs {
	uint64_t x[8];
};

/* One SMCCC 1.2 call with x0..x7 in and out; x8..x17 may change */
static struct regs call(bool smc, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
			uint64_t x4, uint64_t x5, uint64_t x6, uint64_t x7)
{
	register uint64_t r0 asm("x0") = x0, r1 asm("x1") = x1, r2 asm("x2") = x2;
	register uint64_t r3 asm("x3") = x3, r4 asm("x4") = x4, r5 asm("x5") = x5;
	register uint64_t r6 asm("x6") = x6, r7 asm("x7") = x7;

	if (smc)
		asm volatile("smc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4),
			     "+r"(r5), "+r"(r6), "+r"(r7) : : "x8", "x9", "x10", "x11",
			     "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	else
		asm volatile("hvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4),
			     "+r"(r5), "+r"(r6), "+r"(r7) : : "x8", "x9", "x10", "x11",
			     "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (struct regs){ { r0, r1, r2, r3, r4, r5, r6, r7 } };
}

#define HVC(...)	call(false, __VA_ARGS__)

struct tally {
	unsigned int n, failed;
};

static void check(struct tally *t, const char *name, bool ok, uint64_t got,
		  uint64_t expected)
{
	t->n++;
	t->failed += !ok;
	call(false, FFA_GUEST_CHECK, t->n, ok, got, expected, (uintptr_t)name, 0, 0);
}

/* The answer is FFA_ERROR with this status (w2, a signed 32-bit value) */
static void expect_error(struct tally *t, const char *name, struct regs r, int32_t status)
{
	bool ok = r.x[0] == FID_FFA_ERROR && (uint32_t)r.x[2] == (uint32_t)status;

	check(t, name, ok, r.x[0] == FID_FFA_ERROR ? (uint32_t)r.x[2] : r.x[0],
	      (uint32_t)status);
}

/* FFA_SUCCESS with w2 (and w3 unless ~0) as given */
static void expect_success(struct tally *t, const char *name, struct regs r, uint64_t w2,
			   uint64_t w3)
{
	bool w3_ok = w3 == ~0ULL || r.x[3] == w3;

	/* got/expected: x0, else w2, else w3, whichever differs first */
	if (r.x[0] != FID_FFA_SUCCESS)
		check(t, name, false, r.x[0], FID_FFA_SUCCESS);
	else if (r.x[2] != w2)
		check(t, name, false, r.x[2], w2);
	else
		check(t, name, w3_ok, r.x[3], w3);
}

static uint32_t rd32(uint64_t gpa)
{
	return *(volatile uint32_t *)(uintptr_t)gpa;
}

static void fill(uint64_t gpa, uint8_t byte, unsigned int len)
{
	memset((void *)(uintptr_t)gpa, byte, len);
}

/* First offset in [from, len) of gpa that is not byte, or len */
static unsigned int first_not(uint64_t gpa, uint8_t byte, unsigned int from, unsigned int len)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)gpa;

	for (; from < len && p[from] == byte; from++)
		;
	return from;
}

#define MAP64(tx, rx, w3)	HVC(FID_FFA_RXTX_MAP64, tx, rx, w3, 0, 0, 0, 0)
#define INFO(...)		HVC(FID_FFA_PARTITION_INFO_GET, __VA_ARGS__, 0, 0)
#define UUID			FFA_GUEST_UUID_W0, FFA_GUEST_UUID_W1, FFA_GUEST_UUID_W2, \
				FFA_GUEST_UUID_W3
#define PACK(s, r)		((uint64_t)(s) << 16 | (r))
#define RAM_END			((uint64_t)FFA_GUEST_RAM_BASE + FFA_GUEST_RAM_SIZE)

static void discovery(struct tally *t)
{
	struct regs r = HVC(FID_FFA_VERSION, FFA_VERSION_1_1, 0, 0, 0, 0, 0, 0);

	check(t, "VERSION(1.1) is 1.1", r.x[0] == FFA_VERSION_1_1, r.x[0], FFA_VERSION_1_1);
	r = HVC(FID_FFA_VERSION, 0x80010001, 0, 0, 0, 0, 0, 0);
	check(t, "VERSION with bit 31 set is NOT_SUPPORTED", r.x[0] == (uint64_t)-1, r.x[0],
	      (uint64_t)-1);
	r = call(true, FID_FFA_VERSION, FFA_VERSION_1_1, 0, 0, 0, 0, 0, 0);
	check(t, "VERSION over SMC", r.x[0] == FFA_VERSION_1_1, r.x[0], FFA_VERSION_1_1);
	expect_success(t, "ID_GET is the guest's ID",
		       HVC(FID_FFA_ID_GET, 0, 0, 0, 0, 0, 0, 0), FFA_GUEST_VM_ID, 0);
	expect_success(t, "FEATURES(RXTX_MAP64): 4 KiB buffers",
		       HVC(FID_FFA_FEATURES, FID_FFA_RXTX_MAP64, 0, 0, 0, 0, 0, 0), 0, ~0ULL);
	expect_error(t, "FEATURES(NOTIFICATION_BITMAP_CREATE) is NOT_SUPPORTED",
		     HVC(FID_FFA_FEATURES, FID_FFA_NOTIFICATION_BITMAP_CREATE, 0, 0, 0, 0, 0, 0),
		     FFA_NOT_SUPPORTED);
	expect_error(t, "FEATURES(feature 1) is NOT_SUPPORTED (no interrupts)",
		     HVC(FID_FFA_FEATURES, 1, 0, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	expect_error(t, "FEATURES(feature 1, input properties) is INVALID_PARAMETERS",
		     HVC(FID_FFA_FEATURES, 1, 1, 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
}

static void no_buffers(struct tally *t)
{
	expect_error(t, "PARTITION_INFO_GET without buffers is BUSY",
		     INFO(0, 0, 0, 0, 0), FFA_BUSY);
	expect_success(t, "PARTITION_INFO_GET count only needs no buffer",
		       INFO(0, 0, 0, 0, 1), 1, 24);
	expect_error(t, "RX_RELEASE without buffers is DENIED",
		     HVC(FID_FFA_RX_RELEASE, 0, 0, 0, 0, 0, 0, 0), FFA_DENIED);
	expect_error(t, "RXTX_UNMAP without buffers is INVALID_PARAMETERS",
		     HVC(FID_FFA_RXTX_UNMAP, 0, 0, 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
}

static void bad_maps(struct tally *t)
{
	static const struct {
		const char *name;
		uint64_t tx, rx, w3;
	} bad[] = {
		{ "RXTX_MAP TX not page aligned", FFA_GUEST_TX + 8, FFA_GUEST_RX, 1 },
		{ "RXTX_MAP RX not page aligned", FFA_GUEST_TX, FFA_GUEST_RX + 0x800, 1 },
		{ "RXTX_MAP RX past the end of RAM", FFA_GUEST_TX, RAM_END, 1 },
		{ "RXTX_MAP RX straddling the end of RAM", FFA_GUEST_TX, RAM_END - 0x1000, 2 },
		{ "RXTX_MAP TX below RAM", FFA_GUEST_RAM_BASE - 0x1000, FFA_GUEST_RX, 1 },
		{ "RXTX_MAP TX at address 0", 0, FFA_GUEST_RX, 1 },
		{ "RXTX_MAP RX at the top of the address space", FFA_GUEST_TX,
		  0xfffffffffffff000ULL, 1 },
		{ "RXTX_MAP page count 0", FFA_GUEST_TX, FFA_GUEST_RX, 0 },
		{ "RXTX_MAP page count 63 (above the service's 16)", FFA_GUEST_RAM_BASE,
		  FFA_GUEST_RAM_BASE + 0x100000, 63 },
		{ "RXTX_MAP reserved bits in w3", FFA_GUEST_TX, FFA_GUEST_RX, 0x101 },
		{ "RXTX_MAP huge count in w3's upper bits", FFA_GUEST_TX, FFA_GUEST_RX,
		  0xffffffc1 },
		{ "RXTX_MAP TX and RX the same page", FFA_GUEST_TX, FFA_GUEST_TX, 1 },
		{ "RXTX_MAP TX and RX overlapping (2 pages)", FFA_GUEST_TX, FFA_GUEST_RX, 2 },
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_error(t, bad[i].name, MAP64(bad[i].tx, bad[i].rx, bad[i].w3),
			     FFA_INVALID_PARAMETERS);
	/* SMC32: only w1, w2 count; the upper halves are not part of the call */
	expect_success(t, "RXTX_MAP (SMC32) ignores the upper halves of x1, x2",
		       HVC(FID_FFA_RXTX_MAP, 0xdead000000000000ULL | FFA_GUEST_TX,
			   0xbeef000000000000ULL | FFA_GUEST_RX, 1, 0, 0, 0, 0), 0, 0);
	expect_error(t, "RXTX_UNMAP with an ID in w1 is INVALID_PARAMETERS",
		     HVC(FID_FFA_RXTX_UNMAP, PACK(FFA_GUEST_VM_ID, 0), 0, 0, 0, 0, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_success(t, "RXTX_UNMAP", HVC(FID_FFA_RXTX_UNMAP, 0, 0, 0, 0, 0, 0, 0), 0, 0);
}

/* Map, read the partition list, check it and what is around it, release */
static void info_round(struct tally *t, const char *map_name)
{
	struct regs r;
	unsigned int off;

	fill(FFA_GUEST_RX, 0xa5, 0x1000);
	fill(FFA_GUEST_TX, 0x5a, 0x1000);
	expect_success(t, map_name, MAP64(FFA_GUEST_TX, FFA_GUEST_RX, 1), 0, 0);
	expect_error(t, "RXTX_MAP again is DENIED",
		     MAP64(FFA_GUEST_TX + 0x2000, FFA_GUEST_RX + 0x2000, 1), FFA_DENIED);
	expect_error(t, "RX_RELEASE of an RX buffer the VMM owns is DENIED",
		     HVC(FID_FFA_RX_RELEASE, 0, 0, 0, 0, 0, 0, 0), FFA_DENIED);
	expect_error(t, "PARTITION_INFO_GET of an unknown UUID is INVALID_PARAMETERS",
		     INFO(FFA_GUEST_UUID_W0, FFA_GUEST_UUID_W1, FFA_GUEST_UUID_W2,
			  FFA_GUEST_UUID_W3 ^ 1, 0), FFA_INVALID_PARAMETERS);
	expect_error(t, "PARTITION_INFO_GET with reserved flags is INVALID_PARAMETERS",
		     INFO(0, 0, 0, 0, 2), FFA_INVALID_PARAMETERS);
	r = INFO(0, 0, 0, 0, 0);
	expect_success(t, "PARTITION_INFO_GET (all): 1 descriptor of 24 bytes", r, 1, 24);
	check(t, "descriptor: partition ID and 1 execution context",
	      rd32(FFA_GUEST_RX) == (1u << 16 | FFA_GUEST_PART_ID), rd32(FFA_GUEST_RX),
	      1u << 16 | FFA_GUEST_PART_ID);
	check(t, "descriptor: direct requests, AArch64", rd32(FFA_GUEST_RX + 4) == 0x101,
	      rd32(FFA_GUEST_RX + 4), 0x101);
	check(t, "descriptor: the partition's UUID",
	      rd32(FFA_GUEST_RX + 8) == FFA_GUEST_UUID_W0 &&
	      rd32(FFA_GUEST_RX + 12) == FFA_GUEST_UUID_W1 &&
	      rd32(FFA_GUEST_RX + 16) == FFA_GUEST_UUID_W2 &&
	      rd32(FFA_GUEST_RX + 20) == FFA_GUEST_UUID_W3,
	      (uint64_t)rd32(FFA_GUEST_RX + 16) << 32 | rd32(FFA_GUEST_RX + 20),
	      (uint64_t)FFA_GUEST_UUID_W2 << 32 | FFA_GUEST_UUID_W3);
	off = first_not(FFA_GUEST_RX, 0xa5, 24, 0x1000);
	check(t, "RX untouched past the descriptor", off == 0x1000, off, 0x1000);
	off = first_not(FFA_GUEST_TX, 0x5a, 0, 0x1000);
	check(t, "TX untouched", off == 0x1000, off, 0x1000);
	expect_error(t, "PARTITION_INFO_GET while the guest owns RX is BUSY",
		     INFO(0, 0, 0, 0, 0), FFA_BUSY);
	expect_error(t, "RX_RELEASE with an ID in w1 is INVALID_PARAMETERS",
		     HVC(FID_FFA_RX_RELEASE, FFA_GUEST_VM_ID, 0, 0, 0, 0, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_success(t, "RX_RELEASE", HVC(FID_FFA_RX_RELEASE, 0, 0, 0, 0, 0, 0, 0), 0, 0);
	expect_error(t, "RX_RELEASE twice is DENIED",
		     HVC(FID_FFA_RX_RELEASE, 0, 0, 0, 0, 0, 0, 0), FFA_DENIED);
	expect_success(t, "PARTITION_INFO_GET (its UUID)", INFO(UUID, 0), 1, 24);
	expect_success(t, "RX_RELEASE", HVC(FID_FFA_RX_RELEASE, 0, 0, 0, 0, 0, 0, 0), 0, 0);
}

/* The partition's answer: x3 = x3+..+x7, x4..x7 = ~x7..~x4, in the call's width */
static bool resp_ok(struct regs r, bool smc64, const uint64_t in[8])
{
	uint64_t mask = smc64 ? ~0ULL : 0xffffffffULL, sum = 0;
	bool ok = r.x[0] == (smc64 ? FID_FFA_MSG_SEND_DIRECT_RESP64 :
			     FID_FFA_MSG_SEND_DIRECT_RESP) &&
		  r.x[1] == PACK(FFA_GUEST_PART_ID, FFA_GUEST_VM_ID) && r.x[2] == 0;

	for (int i = 3; i <= 7; i++)
		sum += in[i] & mask;
	ok = ok && r.x[3] == (sum & mask);
	for (int i = 4; i <= 7; i++)
		ok = ok && r.x[i] == (~in[11 - i] & mask);
	return ok;
}

static void direct(struct tally *t)
{
	static const uint64_t in[8] = {
		0, 0, 0, 0x1111222233334444ULL, 0x5555666677778888ULL, 0x99990000aaaabbbbULL,
		0xccccddddeeeeffffULL, 0x0123456789abcdefULL,
	};
	uint64_t ids = PACK(FFA_GUEST_VM_ID, FFA_GUEST_PART_ID);
	struct regs r;

	r = HVC(FID_FFA_MSG_SEND_DIRECT_REQ64, ids, 0, in[3], in[4], in[5], in[6], in[7]);
	check(t, "MSG_SEND_DIRECT_REQ64: DIRECT_RESP64, every register", resp_ok(r, true, in),
	      r.x[0], FID_FFA_MSG_SEND_DIRECT_RESP64);
	r = call(true, FID_FFA_MSG_SEND_DIRECT_REQ, ids | 0xffff000000000000ULL, 0, in[3],
		 in[4], in[5], in[6], in[7]);
	check(t, "MSG_SEND_DIRECT_REQ (SMC32, over SMC): DIRECT_RESP, w registers",
	      resp_ok(r, false, in), r.x[0], FID_FFA_MSG_SEND_DIRECT_RESP);
	expect_error(t, "DIRECT_REQ to no partition (0x8002) is INVALID_PARAMETERS",
		     HVC(FID_FFA_MSG_SEND_DIRECT_REQ64, PACK(FFA_GUEST_VM_ID, 0x8002), 0,
			 0, 0, 0, 0, 0), FFA_INVALID_PARAMETERS);
	expect_error(t, "DIRECT_REQ to itself is INVALID_PARAMETERS",
		     HVC(FID_FFA_MSG_SEND_DIRECT_REQ64,
			 PACK(FFA_GUEST_VM_ID, FFA_GUEST_VM_ID), 0, 0, 0, 0, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_error(t, "DIRECT_REQ from another sender ID is INVALID_PARAMETERS",
		     HVC(FID_FFA_MSG_SEND_DIRECT_REQ64, PACK(2, FFA_GUEST_PART_ID), 0, 0, 0,
			 0, 0, 0), FFA_INVALID_PARAMETERS);
	expect_error(t, "DIRECT_REQ as a framework message is INVALID_PARAMETERS",
		     HVC(FID_FFA_MSG_SEND_DIRECT_REQ64, ids, 0x80000000, 0, 0, 0, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_error(t, "DIRECT_RESP from the guest is NOT_SUPPORTED",
		     HVC(FID_FFA_MSG_SEND_DIRECT_RESP64, PACK(FFA_GUEST_VM_ID,
			 FFA_GUEST_PART_ID), 0, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
}

static void unknown(struct tally *t)
{
	struct regs r;

	expect_error(t, "NOTIFICATION_BITMAP_CREATE is NOT_SUPPORTED",
		     HVC(FID_FFA_NOTIFICATION_BITMAP_CREATE, 0, 0, 0, 0, 0, 0, 0),
		     FFA_NOT_SUPPORTED);
	expect_error(t, "MEM_SHARE64 is NOT_SUPPORTED",
		     HVC(0xc4000073, 0x1000, 0x1000, FFA_GUEST_TX, 1, 0, 0, 0),
		     FFA_NOT_SUPPORTED);
	expect_error(t, "PARTITION_INFO_GET_REGS is NOT_SUPPORTED",
		     HVC(FID_FFA_PARTITION_INFO_GET_REGS, 0, 0, 0, 0, 0, 0, 0),
		     FFA_NOT_SUPPORTED);
	expect_error(t, "the last FF-A function number (0xef) is NOT_SUPPORTED",
		     HVC(0x840000ef, 0, 0, 0, 0, 0, 0, 0), FFA_NOT_SUPPORTED);
	r = HVC(0x840000f0, 0, 0, 0, 0, 0, 0, 0);
	check(t, "0x840000f0, past FF-A: SMCCC NOT_SUPPORTED, not FFA_ERROR",
	      r.x[0] == (uint64_t)-1, r.x[0], (uint64_t)-1);
}

/* xorshift64 */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Arguments a bad caller would try: random, near RAM, small, page aligned */
static uint64_t rnd_arg(uint64_t *s)
{
	switch (rnd(s) % 6) {
	case 0:
		return rnd(s);
	case 1:
		return FFA_GUEST_RAM_BASE + (rnd(s) % (FFA_GUEST_RAM_SIZE + 0x4000));
	case 2:
		return FFA_GUEST_RAM_BASE + (rnd(s) % (FFA_GUEST_RAM_SIZE / 0x1000 + 2)) * 0x1000;
	case 3:
		return rnd(s) % 70;
	case 4:
		return PACK(rnd(s) % 3, 0x8000 + rnd(s) % 3);
	default:
		return 0;
	}
}

/*
 * Whatever the state, an FF-A call gets FFA_ERROR with a status the spec
 * defines (NOT_SUPPORTED .. NO_DATA), FFA_SUCCESS, the version (VERSION)
 * or DIRECT_RESP of the call's width (DIRECT_REQ); past FF-A's range,
 * SMCCC NOT_SUPPORTED.
 */
static bool answer_ok(uint32_t fid, struct regs r)
{
	int32_t status = r.x[2];

	if (!smccc_is_ffa(fid))
		return r.x[0] == (uint64_t)-1;
	if (r.x[0] == FID_FFA_ERROR)
		return status <= FFA_NOT_SUPPORTED && status >= FFA_NO_DATA;
	if (fid == FID_FFA_VERSION)
		return r.x[0] == FFA_VERSION_1_1 || r.x[0] == (uint64_t)-1;
	if (fid == FID_FFA_MSG_SEND_DIRECT_REQ || fid == FID_FFA_MSG_SEND_DIRECT_REQ64)
		return r.x[0] == fid + 1;	/* DIRECT_RESP(64) */
	return r.x[0] == FID_FFA_SUCCESS;
}

static void random_calls(struct tally *t)
{
	uint64_t s = 0x9e3779b97f4a7c15ULL;
	unsigned int bad = 0, first_bad_fid = 0;

	call(false, FFA_GUEST_QUIET, 1, 0, 0, 0, 0, 0, 0);
	for (unsigned int i = 0; i < FFA_GUEST_RANDOM_CALLS; i++) {
		uint32_t fid = 0x84000000 | (rnd(&s) & 1 ? SMCCC_SMC64 : 0) |
			       (FFA_FN_FIRST + rnd(&s) % (FFA_FN_LAST - FFA_FN_FIRST + 3));
		uint64_t a[8];
		struct regs r;

		for (int j = 1; j < 8; j++)
			a[j] = rnd_arg(&s);
		r = call(i & 1, fid, a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
		if (!answer_ok(fid, r) && !bad++)
			first_bad_fid = fid;
	}
	call(false, FFA_GUEST_QUIET, 0, 0, 0, 0, 0, 0, 0);
	check(t, "random FF-A calls: every answer well-formed", !bad, first_bad_fid, 0);
	/* whatever they mapped: back to no buffers (SUCCESS or INVALID_PARAMETERS) */
	HVC(FID_FFA_RXTX_UNMAP, 0, 0, 0, 0, 0, 0, 0);
}

int main(void)
{
	struct tally t = { 0 };

	discovery(&t);
	no_buffers(&t);
	bad_maps(&t);
	info_round(&t, "RXTX_MAP64 (1 page each)");
	direct(&t);
	unknown(&t);
	random_calls(&t);
	/* The service still serves: the whole good sequence again */
	info_round(&t, "after the random calls: RXTX_MAP64 again");
	direct(&t);
	expect_success(&t, "RXTX_UNMAP", HVC(FID_FFA_RXTX_UNMAP, 0, 0, 0, 0, 0, 0, 0), 0, 0);
	call(false, FFA_GUEST_DONE, t.n, t.failed, 0, 0, 0, 0, 0);
	call(false, PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0, 0, 0, 0, 0);
	return 0;
}
