// SPDX-License-Identifier: GPL-2.0
/*
 * optee-hostile: vmm/optee.c against a hostile guest (issue 18, part 3).
 *
 *   optee-hostile [-n random calls, at most 4000] [-s seed] guest-tee.bin
 *   optee-hostile --figures N guest-tee.bin
 *
 * A payload guest (guest-tee.S) makes every call of a table this program
 * writes into its RAM (tee_abi.h), over SMC and HVC, and stores each answer
 * back; the messages those calls point to are written here too. The table:
 * a valid session and shared memory first, then a catalogue of hostile
 * calls, each with the one answer the OP-TEE ABI gives it (bad message
 * addresses, huge sizes, page lists outside RAM, unaligned or looping,
 * wrong parameter types, bad shared memory references and offsets,
 * unknown commands and functions), then random calls and messages, then the
 * valid flow again (the VMM keeps serving). After the guest powers off:
 * one TAP line per case, checked against the answers in guest RAM, plus
 * the random calls' answers (each an ABI code, exact where the address
 * decides) and a canary region nothing refers to, unchanged.
 * Exit 0 only if every case passed.
 *
 * --figures N: no checks but a cost table, for a run under QEMU's -icount
 * (optee-figures.sh): N calls of each kind in a row, timed on the VMM's
 * CLOCK_MONOTONIC between marker calls, no trace line: a TA invoke round
 * trip (ADD; REVERSE of 100 bytes from a tmem into registered memory), a
 * fast OP-TEE call (CALLS_UID), an HVC KVM answers (SMCCC_VERSION) and an
 * MMIO write exit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm.h"
#include "optee.h"
#include "tee_abi.h"

#define RAM_END		(TEE_RAM_BASE + TEE_RAM_SIZE)
#define VALID_REF	0x5eed0001ULL	/* the valid flow's shared memory */
#define VALID_SESSION	1		/* the first session the service opens */
#define SHM_OFFS	0x10		/* its buffer's offset in its first page */
#define SHM_SIZE	8192		/* 3 pages with the offset */
#define REV_LEN		100		/* REVERSE: input bytes */
#define REV_OUT_OFFS	4050		/* output offset in the shm: across a page */
#define NO_RET		0xdeadbeef	/* a case with no message to check */

static struct vm vm;
static const struct optee_ta *const tas[] = { &optee_ta_demo };
static const smccc_service services[] = { optee__handle };

/* A call of the table and what its answer must be */
struct tcase {
	const char *name;
	int entry;
	uint64_t msg;		/* its message, 0 if none */
	uint32_t want_a0, want_ret;
	bool (*check)(const struct tcase *c, char *why, size_t size);
	enum { FIXED, RND_FN, RND_ADDR, RND_MSG } kind;
};

static struct tcase cases[TEE_TABLE_MAX];
static int nr_cases, nr_entries, nr_msgs;
static uint64_t shm_pages[3];	/* the valid shm's pages, out of order */
static uint64_t rng = 0x9e3779b97f4a7c15;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static void *host(uint64_t gpa, uint64_t len)
{
	void *p = vm__gpa_to_host(&vm, gpa, len);

	if (!p)
		die("no guest RAM at 0x%llx", (unsigned long long)gpa);
	return p;
}

static uint64_t *entry(int i)
{
	return host(TEE_TABLE + TEE_ENTRY_FIRST + (uint64_t)i * TEE_ENTRY_SIZE, TEE_ENTRY_SIZE);
}

static uint64_t res(const struct tcase *c, int reg)
{
	return entry(c->entry)[TEE_ENTRY_RES / 8 + reg];
}

static struct optee_msg_arg *msg(uint64_t gpa)
{
	return host(gpa, TEE_MSG_SLOT);
}

/* A fresh zeroed message slot */
static uint64_t msg_new(void)
{
	uint64_t gpa = TEE_MSGS + (uint64_t)nr_msgs++ * TEE_MSG_SLOT;

	if (gpa + TEE_MSG_SLOT > TEE_BUFS)
		die("out of message slots");
	memset(msg(gpa), 0, TEE_MSG_SLOT);
	return gpa;
}

static struct tcase *call(const char *name, uint32_t fid, uint64_t x1, uint64_t x2,
			  uint64_t x3, bool hvc, uint32_t want_a0)
{
	uint64_t *e;
	struct tcase *c;

	if (nr_entries == TEE_TABLE_MAX)
		die("table full");
	e = entry(nr_entries);
	memset(e, 0, TEE_ENTRY_SIZE);
	e[0] = fid;
	e[1] = x1;
	e[2] = x2;
	e[3] = x3;
	e[TEE_ENTRY_HOW / 8] = hvc ? TEE_HOW_HVC : TEE_HOW_SMC;
	/* answers the guest did not store read as this */
	for (int i = 0; i < 4; i++)
		e[TEE_ENTRY_RES / 8 + i] = 0x5a5a5a5a5a5a5a5aULL;
	c = &cases[nr_cases++];
	*c = (struct tcase){ .name = name, .entry = nr_entries++, .want_a0 = want_a0,
			     .want_ret = NO_RET };
	return c;
}

/* CALL_WITH_ARG with the message at gpa, alternately over SMC and HVC */
static struct tcase *send(const char *name, uint64_t gpa, uint32_t want_a0, uint32_t want_ret)
{
	struct tcase *c = call(name, OPTEE_SMC_CALL_WITH_ARG, gpa >> 32, (uint32_t)gpa, 0,
			       nr_entries & 1, want_a0);

	c->msg = gpa;
	c->want_ret = want_ret;
	return c;
}

static uint64_t new_msg(uint32_t cmd, uint32_t session, uint32_t func, uint32_t nparams)
{
	uint64_t gpa = msg_new();
	struct optee_msg_arg *m = msg(gpa);

	m->cmd = cmd;
	m->session = session;
	m->func = func;
	m->num_params = nparams;
	/* the service must overwrite these */
	m->ret = 0x12345678;
	m->ret_origin = 0x77;
	return gpa;
}

static struct optee_msg_param *param(uint64_t gpa, int i)
{
	return &msg(gpa)->params[i];
}

static void set_value(uint64_t gpa, int i, uint32_t attr, uint64_t a, uint64_t b)
{
	*param(gpa, i) = (struct optee_msg_param){ .attr = attr, .u.value = { a, b, 0 } };
}

static void set_rmem(uint64_t gpa, int i, uint32_t attr, uint64_t ref, uint64_t offs,
		     uint64_t size)
{
	*param(gpa, i) = (struct optee_msg_param){ .attr = attr,
						   .u.rmem = { offs, size, ref } };
}

static void set_tmem(uint64_t gpa, int i, uint32_t attr, uint64_t buf, uint64_t size)
{
	*param(gpa, i) = (struct optee_msg_param){ .attr = attr,
						   .u.tmem = { buf, size, 0 } };
}

/* OPEN_SESSION's two meta parameters: the TA's UUID, a public login */
static uint64_t open_msg(const uint8_t *uuid, uint32_t extra)
{
	uint64_t gpa = new_msg(OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 2 + extra);
	uint32_t meta = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;

	set_value(gpa, 0, meta, 0, 0);
	memcpy(param(gpa, 0)->u.octets, uuid, 16);
	set_value(gpa, 1, meta, 0, 0);
	return gpa;
}

static uint64_t register_msg(uint64_t ref, uint64_t buf_ptr, uint64_t size, bool noncontig)
{
	uint64_t gpa = new_msg(OPTEE_MSG_CMD_REGISTER_SHM, 0, 0, 1);

	*param(gpa, 0) = (struct optee_msg_param){
		.attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | (noncontig ? OPTEE_MSG_ATTR_NONCONTIG : 0),
		.u.tmem = { buf_ptr, size, ref } };
	return gpa;
}

/* A page list page at list: entries, then next */
static void page_list(uint64_t list, const uint64_t *pages, int n, uint64_t next)
{
	uint64_t *l = host(list, OPTEE_MSG_NONCONTIG_PAGE_SIZE);

	for (int i = 0; i < OPTEE_MSG_PAGELIST_ENTRIES; i++)
		l[i] = i < n ? pages[i] : 0;
	l[OPTEE_MSG_PAGELIST_ENTRIES] = next;
}

/* Checks beyond a0 and ret */
static bool check_uid(const struct tcase *c, char *why, size_t size)
{
	snprintf(why, size, "x1..x3 0x%llx 0x%llx 0x%llx", (unsigned long long)res(c, 1),
		 (unsigned long long)res(c, 2), (unsigned long long)res(c, 3));
	return res(c, 1) == OPTEE_MSG_UID_1 && res(c, 2) == OPTEE_MSG_UID_2 &&
	       res(c, 3) == OPTEE_MSG_UID_3;
}

static bool check_caps(const struct tcase *c, char *why, size_t size)
{
	snprintf(why, size, "capabilities 0x%llx", (unsigned long long)res(c, 1));
	return res(c, 1) == OPTEE_SMC_SEC_CAP_DYNAMIC_SHM;
}

static bool check_session(const struct tcase *c, char *why, size_t size)
{
	snprintf(why, size, "session %u", msg(c->msg)->session);
	return msg(c->msg)->session == VALID_SESSION;
}

/* ADD of 40 and 2 (value[0] in, value[1] out) */
static bool check_add(const struct tcase *c, char *why, size_t size)
{
	const struct optee_msg_param *p = &msg(c->msg)->params[1];

	snprintf(why, size, "value out %llu %llu", (unsigned long long)p->u.value.a,
		 (unsigned long long)p->u.value.b);
	return p->u.value.a == 42 && p->u.value.b == 80;
}

/* A byte of the valid shm at offs, through its pages */
static uint8_t *shm_byte(uint64_t offs)
{
	uint64_t pos = SHM_OFFS + offs;

	return host(shm_pages[pos / 4096] + pos % 4096, 1);
}

static void shm_fill(uint8_t v)
{
	for (uint64_t i = 0; i < SHM_SIZE; i++)
		*shm_byte(i) = v;
}

/* The REVERSE output: the input reversed, across the shm's page boundary */
static bool check_reverse(const struct tcase *c, char *why, size_t size)
{
	const uint8_t *in = host(TEE_BUFS + 0x8000, REV_LEN);
	int bad = 0;

	for (int i = 0; i < REV_LEN; i++)
		bad += *shm_byte(REV_OUT_OFFS + i) != in[REV_LEN - 1 - i];
	snprintf(why, size, "%d bytes wrong, out size %llu", bad,
		 (unsigned long long)msg(c->msg)->params[1].u.rmem.size);
	return !bad && msg(c->msg)->params[1].u.rmem.size == REV_LEN;
}

/*
 * A refused memref: the TA never ran. The shm was 0xee before the run;
 * only the valid flow's REVERSE writes it, at REV_OUT_OFFS.
 */
static bool check_untouched(const struct tcase *c, char *why, size_t size)
{
	int bad = 0;

	(void)c;
	for (uint64_t i = 0; i < SHM_SIZE; i++)
		if (i < REV_OUT_OFFS || i >= REV_OUT_OFFS + REV_LEN)
			bad += *shm_byte(i) != 0xee;
	snprintf(why, size, "%d shm bytes written", bad);
	return !bad;
}

static bool check_short(const struct tcase *c, char *why, size_t size)
{
	uint64_t got = msg(c->msg)->params[1].u.rmem.size;
	char more[64];
	bool ok = check_untouched(c, more, sizeof(more));

	snprintf(why, size, "out size %llu (want %d), %s", (unsigned long long)got, REV_LEN, more);
	return got == REV_LEN && ok;
}

/* REVERSE: tmem in (TEE_BUFS + 0x8000), rmem out on the valid shm */
static uint64_t reverse_msg(uint32_t session, uint64_t ref, uint64_t offs, uint64_t size)
{
	uint64_t gpa = new_msg(OPTEE_MSG_CMD_INVOKE_COMMAND, session, VMM_TA_CMD_REVERSE, 3);

	set_tmem(gpa, 0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TEE_BUFS + 0x8000, REV_LEN);
	set_rmem(gpa, 1, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, ref, offs, size);
	set_value(gpa, 2, OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT, 0, 0);
	return gpa;
}

static uint64_t add_msg(uint32_t session)
{
	uint64_t gpa = new_msg(OPTEE_MSG_CMD_INVOKE_COMMAND, session, VMM_TA_CMD_ADD, 2);

	set_value(gpa, 0, OPTEE_MSG_ATTR_TYPE_VALUE_INPUT, 40, 2);
	set_value(gpa, 1, OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT, 0, 0);
	return gpa;
}

static const uint8_t ta_uuid[16] = { VMM_TA_UUID_BYTES };

/* The valid flow's start: session, shared memory (3 pages, out of order) */
static void valid_start(void)
{
	uint64_t list = TEE_BUFS;
	struct tcase *c;
	uint8_t *in = host(TEE_BUFS + 0x8000, REV_LEN);

	shm_pages[0] = TEE_BUFS + 0x3000;
	shm_pages[1] = TEE_BUFS + 0x1000;
	shm_pages[2] = TEE_BUFS + 0x2000;
	page_list(list, shm_pages, 3, 0);
	for (int i = 0; i < REV_LEN; i++)
		in[i] = (uint8_t)(i * 13 + 1);

	call("CALLS_UID over SMC", OPTEE_SMC_CALLS_UID, 0, 0, 0, false,
	     OPTEE_MSG_UID_0)->check = check_uid;
	call("CALLS_UID over HVC", OPTEE_SMC_CALLS_UID, 0, 0, 0, true,
	     OPTEE_MSG_UID_0)->check = check_uid;
	call("EXCHANGE_CAPABILITIES: DYNAMIC_SHM only", OPTEE_SMC_EXCHANGE_CAPABILITIES, 0, 0,
	     0, false, OPTEE_SMC_RETURN_OK)->check = check_caps;
	c = send("OPEN_SESSION with the demo TA", open_msg(ta_uuid, 0), OPTEE_SMC_RETURN_OK,
		 TEEC_SUCCESS);
	c->check = check_session;
	send("REGISTER_SHM: 3 pages out of order, offset 0x10",
	     register_msg(VALID_REF, list | SHM_OFFS, SHM_SIZE, true), OPTEE_SMC_RETURN_OK,
	     TEEC_SUCCESS);
	send("INVOKE ADD", add_msg(VALID_SESSION), OPTEE_SMC_RETURN_OK,
	     TEEC_SUCCESS)->check = check_add;
	send("INVOKE REVERSE: tmem in, rmem out across a page of the page list",
	     reverse_msg(VALID_SESSION, VALID_REF, REV_OUT_OFFS, 128), OPTEE_SMC_RETURN_OK,
	     TEEC_SUCCESS)->check = check_reverse;
}

static void hostile_calls(void)
{
	uint32_t bad = TEEC_ERROR_BAD_PARAMETERS;
	uint64_t gpa, pages[OPTEE_MSG_PAGELIST_ENTRIES];
	uint8_t uuid[16];
	struct tcase *c;

	/* Functions */
	call("unknown fast function 0xb2000063", OPTEE_SMC_FAST(0x63), 0, 0, 0, false,
	     OPTEE_SMC_RETURN_UNKNOWN_FUNCTION);
	call("SMC64 form of EXCHANGE_CAPABILITIES", OPTEE_SMC_EXCHANGE_CAPABILITIES | SMCCC_SMC64,
	     0, 0, 0, false, OPTEE_SMC_RETURN_UNKNOWN_FUNCTION);
	call("CALL_WITH_REGD_ARG (no RPC_ARG capability)", OPTEE_SMC_CALL_WITH_REGD_ARG,
	     VALID_REF >> 32, (uint32_t)VALID_REF, 0, true, OPTEE_SMC_RETURN_UNKNOWN_FUNCTION);
	call("GET_SHM_CONFIG (no reserved shared memory)", OPTEE_SMC_GET_SHM_CONFIG, 0, 0, 0,
	     false, OPTEE_SMC_RETURN_UNKNOWN_FUNCTION);
	call("RETURN_FROM_RPC with no RPC pending", OPTEE_SMC_RETURN_FROM_RPC, 0, 0, 0, false,
	     OPTEE_SMC_RETURN_ERESUME);

	/* Message addresses */
	send("message at 0", 0, OPTEE_SMC_RETURN_EBADADDR, NO_RET);
	send("message past RAM's end", RAM_END, OPTEE_SMC_RETURN_EBADADDR, NO_RET);
	send("message at 0xffffffff_80100000", 0xffffffff00000000ULL | TEE_MSGS,
	     OPTEE_SMC_RETURN_EBADADDR, NO_RET);
	send("message not 8-byte aligned", msg_new() + 4, OPTEE_SMC_RETURN_EBADADDR, NO_RET);
	send("message header across RAM's end", RAM_END - 16, OPTEE_SMC_RETURN_EBADADDR, NO_RET);
	gpa = RAM_END - sizeof(struct optee_msg_arg);
	memset(host(gpa, sizeof(struct optee_msg_arg)), 0, sizeof(struct optee_msg_arg));
	((struct optee_msg_arg *)host(gpa, sizeof(struct optee_msg_arg)))->num_params = 2;
	send("message whose parameters run past RAM's end", gpa, OPTEE_SMC_RETURN_EBADADDR,
	     NO_RET);
	send("num_params 0xffffffff", new_msg(OPTEE_MSG_CMD_INVOKE_COMMAND, VALID_SESSION, 0,
					       0xffffffff), OPTEE_SMC_RETURN_OK, bad);
	send("unknown command 0x1234", new_msg(0x1234, 0, 0, 0), OPTEE_SMC_RETURN_EBADCMD,
	     NO_RET);
	send("command 6 (DO_BOTTOM_HALF, not offered)", new_msg(6, 0, 0, 0),
	     OPTEE_SMC_RETURN_EBADCMD, NO_RET);

	/* Sessions */
	send("OPEN_SESSION with no parameters", new_msg(OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 0),
	     OPTEE_SMC_RETURN_OK, bad);
	gpa = open_msg(ta_uuid, 0);
	param(gpa, 1)->attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	send("OPEN_SESSION without META on the login", gpa, OPTEE_SMC_RETURN_OK, bad);
	memcpy(uuid, ta_uuid, 16);
	uuid[0] ^= 0x80;
	send("OPEN_SESSION with an unknown UUID", open_msg(uuid, 0), OPTEE_SMC_RETURN_OK,
	     TEEC_ERROR_ITEM_NOT_FOUND);
	gpa = open_msg(ta_uuid, 1);
	param(gpa, 2)->attr = 4;
	send("OPEN_SESSION with a parameter of type 4", gpa, OPTEE_SMC_RETURN_OK, bad);
	send("OPEN_SESSION with 7 parameters", open_msg(ta_uuid, 5), OPTEE_SMC_RETURN_OK, bad);
	send("INVOKE on session 0", add_msg(0), OPTEE_SMC_RETURN_OK, bad);
	send("INVOKE on session 999", add_msg(999), OPTEE_SMC_RETURN_OK, bad);
	send("INVOKE with 5 parameters",
	     new_msg(OPTEE_MSG_CMD_INVOKE_COMMAND, VALID_SESSION, VMM_TA_CMD_ADD, 5),
	     OPTEE_SMC_RETURN_OK, bad);
	gpa = add_msg(VALID_SESSION);
	param(gpa, 0)->attr |= OPTEE_MSG_ATTR_META;
	send("INVOKE with a META parameter", gpa, OPTEE_SMC_RETURN_OK, bad);
	gpa = add_msg(VALID_SESSION);
	param(gpa, 1)->attr = 0xff;
	send("INVOKE with a parameter of type 0xff", gpa, OPTEE_SMC_RETURN_OK, bad);
	send("CLOSE_SESSION of session 777", new_msg(OPTEE_MSG_CMD_CLOSE_SESSION, 777, 0, 0),
	     OPTEE_SMC_RETURN_OK, bad);
	send("CANCEL (nothing to cancel)", new_msg(OPTEE_MSG_CMD_CANCEL, VALID_SESSION, 0, 0),
	     OPTEE_SMC_RETURN_OK, TEEC_SUCCESS);

	/* Shared memory registration */
	send("REGISTER_SHM of a registered reference",
	     register_msg(VALID_REF, TEE_BUFS | SHM_OFFS, SHM_SIZE, true), OPTEE_SMC_RETURN_OK,
	     bad);
	send("REGISTER_SHM with reference 0", register_msg(0, TEE_BUFS, 4096, true),
	     OPTEE_SMC_RETURN_OK, bad);
	send("REGISTER_SHM of 0 bytes", register_msg(0x1001, TEE_BUFS, 0, true),
	     OPTEE_SMC_RETURN_OK, bad);
	send("REGISTER_SHM of 2^62 bytes", register_msg(0x1002, TEE_BUFS, 1ULL << 62, true),
	     OPTEE_SMC_RETURN_OK, bad);
	send("REGISTER_SHM of 2^64-1 bytes at offset 0xfff",
	     register_msg(0x1003, TEE_BUFS | 0xfff, ~0ULL, true), OPTEE_SMC_RETURN_OK, bad);
	send("REGISTER_SHM with the page list outside RAM",
	     register_msg(0x1004, RAM_END + 0x10000, 4096, true), OPTEE_SMC_RETURN_OK, bad);
	pages[0] = TEE_SCRATCH;
	pages[1] = RAM_END;
	page_list(TEE_SCRATCH + 0x10000, pages, 2, 0);
	send("REGISTER_SHM with a page outside RAM",
	     register_msg(0x1005, TEE_SCRATCH + 0x10000, 8192, true), OPTEE_SMC_RETURN_OK, bad);
	pages[1] = TEE_SCRATCH + 0x1008;
	page_list(TEE_SCRATCH + 0x11000, pages, 2, 0);
	send("REGISTER_SHM with an unaligned page",
	     register_msg(0x1006, TEE_SCRATCH + 0x11000, 8192, true), OPTEE_SMC_RETURN_OK, bad);
	for (int i = 0; i < OPTEE_MSG_PAGELIST_ENTRIES; i++)
		pages[i] = TEE_SCRATCH + (i % 16) * 4096ULL;
	page_list(TEE_SCRATCH + 0x12000, pages, OPTEE_MSG_PAGELIST_ENTRIES, RAM_END);
	send("REGISTER_SHM: 600 pages, next list page outside RAM",
	     register_msg(0x1007, TEE_SCRATCH + 0x12000, 600 * 4096, true), OPTEE_SMC_RETURN_OK,
	     bad);
	page_list(TEE_SCRATCH + 0x13000, pages, OPTEE_MSG_PAGELIST_ENTRIES, TEE_SCRATCH + 0x13000);
	send("REGISTER_SHM: a page list looping on itself, 2000 pages (bounded walk)",
	     register_msg(0x1008, TEE_SCRATCH + 0x13000, 2000 * 4096, true), OPTEE_SMC_RETURN_OK,
	     TEEC_SUCCESS);
	gpa = new_msg(OPTEE_MSG_CMD_UNREGISTER_SHM, 0, 0, 1);
	set_rmem(gpa, 0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 0x1008, 0, 0);
	send("UNREGISTER_SHM of the looping one", gpa, OPTEE_SMC_RETURN_OK, TEEC_SUCCESS);
	send("REGISTER_SHM: contiguous, across RAM's end",
	     register_msg(0x1009, RAM_END - 4096, 8192, false), OPTEE_SMC_RETURN_OK, bad);
	page_list(TEE_SCRATCH + 0x14000, pages, OPTEE_MSG_PAGELIST_ENTRIES,
		  TEE_SCRATCH + 0x14000);
	send("REGISTER_SHM: 64 MiB + 4 KiB, over the VMM's limit",
	     register_msg(0x100a, TEE_SCRATCH + 0x14000, (1ULL << 26) + 4096, true),
	     OPTEE_SMC_RETURN_OK, bad);
	gpa = register_msg(0x100b, TEE_BUFS, 4096, true);
	param(gpa, 0)->attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	send("REGISTER_SHM with a value parameter", gpa, OPTEE_SMC_RETURN_OK, bad);
	gpa = register_msg(0x100c, TEE_BUFS, 4096, true);
	msg(gpa)->num_params = 2;
	send("REGISTER_SHM with 2 parameters", gpa, OPTEE_SMC_RETURN_OK, bad);

	/* Memory references: the TA must not run (the shm stays 0xee) */
	send("REVERSE into an unknown reference", reverse_msg(VALID_SESSION, 0x4242, 0, 128),
	     OPTEE_SMC_RETURN_OK, bad)->check = check_untouched;
	send("REVERSE at an offset past the buffer",
	     reverse_msg(VALID_SESSION, VALID_REF, SHM_SIZE + 1, 0), OPTEE_SMC_RETURN_OK,
	     bad)->check = check_untouched;
	send("REVERSE with offset + size overflowing",
	     reverse_msg(VALID_SESSION, VALID_REF, ~0ULL - 15, 128), OPTEE_SMC_RETURN_OK,
	     bad)->check = check_untouched;
	send("REVERSE with a size past the buffer",
	     reverse_msg(VALID_SESSION, VALID_REF, 100, SHM_SIZE), OPTEE_SMC_RETURN_OK,
	     bad)->check = check_untouched;
	gpa = reverse_msg(VALID_SESSION, VALID_REF, 0, 128);
	set_tmem(gpa, 0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, RAM_END + 4096, REV_LEN);
	send("REVERSE from a tmem outside RAM", gpa, OPTEE_SMC_RETURN_OK,
	     bad)->check = check_untouched;
	gpa = reverse_msg(VALID_SESSION, VALID_REF, 0, 128);
	set_tmem(gpa, 0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, RAM_END - 50, REV_LEN);
	send("REVERSE from a tmem across RAM's end", gpa, OPTEE_SMC_RETURN_OK,
	     bad)->check = check_untouched;
	gpa = reverse_msg(VALID_SESSION, VALID_REF, 0, 128);
	set_tmem(gpa, 0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, TEE_SCRATCH, 1ULL << 63);
	send("REVERSE from a tmem of 2^63 bytes", gpa, OPTEE_SMC_RETURN_OK,
	     bad)->check = check_untouched;
	gpa = reverse_msg(VALID_SESSION, VALID_REF, 0, 128);
	param(gpa, 0)->attr |= OPTEE_MSG_ATTR_NONCONTIG;
	send("REVERSE from a NONCONTIG tmem", gpa, OPTEE_SMC_RETURN_OK,
	     bad)->check = check_untouched;
	gpa = reverse_msg(VALID_SESSION, VALID_REF, 0, 10);
	c = send("REVERSE into 10 bytes: SHORT_BUFFER, the size it needs", gpa,
		 OPTEE_SMC_RETURN_OK, TEEC_ERROR_SHORT_BUFFER);
	c->check = check_short;
	gpa = new_msg(OPTEE_MSG_CMD_UNREGISTER_SHM, 0, 0, 1);
	set_rmem(gpa, 0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 0x4343, 0, 0);
	send("UNREGISTER_SHM of an unknown reference", gpa, OPTEE_SMC_RETURN_OK, bad);
	gpa = new_msg(OPTEE_MSG_CMD_UNREGISTER_SHM, 0, 0, 1);
	set_tmem(gpa, 0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, 0, 0);
	param(gpa, 0)->u.tmem.shm_ref = VALID_REF;
	send("UNREGISTER_SHM with a tmem parameter", gpa, OPTEE_SMC_RETURN_OK, bad);
}

/* Where random messages point: RAM they may read, or nowhere */
static uint64_t rnd_addr(void)
{
	switch (rnd() % 8) {
	case 0: return 0;
	case 1: return RAM_END - rnd() % 64;
	case 2: return rnd();
	case 3: return TEE_SCRATCH + rnd() % 0x40000 + (rnd() % 2 ? 0 : 1);
	case 4: return RAM_END + rnd() % 0x100000;
	default: return TEE_SCRATCH + (rnd() % 0x40) * 4096;
	}
}

static uint64_t rnd_size(void)
{
	static const uint64_t sizes[] = { 0, 1, 100, 4096, 4097, 1 << 20, (1 << 20) + 1,
					  1ULL << 26, 1ULL << 63, ~0ULL };

	return rnd() % 3 ? sizes[rnd() % ARRAY_SIZE(sizes)] : rnd();
}

/* Never the valid flow's session or shared memory */
static uint64_t rnd_ref(void)
{
	uint64_t r = rnd() % 2 ? rnd() % 16 : rnd();

	return r == VALID_REF ? 0 : r;
}

static bool check_random(const struct tcase *c, char *why, size_t size);

/*
 * Random calls: Trusted OS function IDs with random registers, and
 * CALL_WITH_ARG with random messages (random commands, counts, sessions,
 * attributes, addresses, sizes, references) at random addresses.
 */
static void random_calls(int n)
{
	for (int i = 0; i < n; i++) {
		struct tcase *c;
		uint64_t gpa;

		if (rnd() % 8 == 0) {
			uint32_t func = rnd() % 2 ? rnd() % 24 : rnd() % 0x10000;
			uint32_t fid = (rnd() % 2 ? SMCCC_FAST : 0) | (rnd() % 2 ? SMCCC_SMC64 : 0) |
				       (uint32_t)(50 + rnd() % 14) << 24 | func;

			/* not the message call: that is the rest of the loop */
			if (fid == OPTEE_SMC_CALL_WITH_ARG)
				fid = OPTEE_SMC_CALL_WITH_RPC_ARG;
			c = call("random function", fid, rnd(), rnd(), rnd(), rnd() % 2, 0);
			c->kind = RND_FN;
		} else if (rnd() % 6 == 0) {
			gpa = rnd_addr() & (rnd() % 2 ? ~7ULL : ~0ULL);
			c = send("random message address", gpa, 0, NO_RET);
			c->kind = RND_ADDR;
		} else {
			uint32_t np = rnd() % 10 ? rnd() % 7 : (uint32_t)rnd();
			uint32_t cmd = rnd() % 10 ? rnd() % 8 : (uint32_t)rnd();
			uint32_t session = rnd() % 4 ? 2 + rnd() % 4 : (uint32_t)rnd();

			gpa = new_msg(cmd, session == VALID_SESSION ? 0 : session,
				      rnd() % 5, np);
			for (uint32_t j = 0; j < np && j < 6; j++) {
				struct optee_msg_param *p = param(gpa, j);

				p->attr = rnd() % 4 ? rnd() % 12 : rnd();
				if (rnd() % 4 == 0)
					p->attr |= rnd() % 2 ? OPTEE_MSG_ATTR_META :
							       OPTEE_MSG_ATTR_NONCONTIG;
				p->u.tmem.buf_ptr = rnd() % 2 ? rnd_addr() : rnd_size();
				p->u.tmem.size = rnd_size();
				p->u.tmem.shm_ref = rnd_ref();
			}
			c = send("random message", gpa, 0, NO_RET);
			c->kind = RND_MSG;
		}
		c->check = check_random;
	}
}

/*
 * A random call's answer: an ABI code; for a message, EBADADDR exactly
 * when it is not 8-byte aligned in RAM. A message in its own slot (no
 * other call writes there) more: EBADADDR exactly when its parameters
 * leave RAM, EBADCMD exactly for an unknown command, else OK with a
 * TEEC_* result the ABI gives.
 */
static bool check_random(const struct tcase *c, char *why, size_t size)
{
	static const uint32_t rets[] = { TEEC_SUCCESS, TEEC_ERROR_BAD_PARAMETERS,
		TEEC_ERROR_ITEM_NOT_FOUND, TEEC_ERROR_OUT_OF_MEMORY, TEEC_ERROR_NOT_SUPPORTED,
		TEEC_ERROR_SHORT_BUFFER };
	uint64_t a0 = res(c, 0);
	const struct optee_msg_arg *m;
	bool in_ram;

	snprintf(why, size, "a0 0x%llx", (unsigned long long)a0);
	if (c->kind == RND_FN) {
		/* random function: one of the ABI's codes, or an answer of a query */
		uint32_t fid = entry(c->entry)[0];

		if (fid == OPTEE_SMC_CALLS_UID || fid == OPTEE_SMC_GET_OS_UUID ||
		    fid == OPTEE_SMC_CALLS_REVISION || fid == OPTEE_SMC_GET_OS_REVISION ||
		    fid == OPTEE_SMC_CALLS_COUNT)
			return true;
		return a0 <= OPTEE_SMC_RETURN_ENOTAVAIL || a0 == OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
	}
	in_ram = !(c->msg % 8) && vm__gpa_to_host(&vm, c->msg, sizeof(*m));
	if (!in_ram)
		return a0 == OPTEE_SMC_RETURN_EBADADDR;
	if (c->kind == RND_ADDR)
		return a0 == OPTEE_SMC_RETURN_OK || a0 == OPTEE_SMC_RETURN_EBADADDR ||
		       a0 == OPTEE_SMC_RETURN_EBADCMD;
	m = host(c->msg, sizeof(*m));
	if (m->num_params <= 6 && !vm__gpa_to_host(&vm, c->msg, OPTEE_MSG_ARG_SIZE(m->num_params)))
		return a0 == OPTEE_SMC_RETURN_EBADADDR;
	if (m->cmd > OPTEE_MSG_CMD_UNREGISTER_SHM)
		return a0 == OPTEE_SMC_RETURN_EBADCMD;
	snprintf(why, size, "a0 0x%llx, ret 0x%x", (unsigned long long)a0, m->ret);
	if (a0 != OPTEE_SMC_RETURN_OK || res(c, 1) || res(c, 2))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(rets); i++)
		if (m->ret == rets[i])
			return true;
	return false;
}

/* The valid flow again, after all of it */
static void valid_end(void)
{
	uint64_t gpa;

	send("still serving: INVOKE ADD", add_msg(VALID_SESSION), OPTEE_SMC_RETURN_OK,
	     TEEC_SUCCESS)->check = check_add;
	send("still serving: INVOKE REVERSE into the registered memory",
	     reverse_msg(VALID_SESSION, VALID_REF, REV_OUT_OFFS, 128), OPTEE_SMC_RETURN_OK,
	     TEEC_SUCCESS)->check = check_reverse;
	gpa = new_msg(OPTEE_MSG_CMD_UNREGISTER_SHM, 0, 0, 1);
	set_rmem(gpa, 0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, VALID_REF, 0, 0);
	send("UNREGISTER_SHM", gpa, OPTEE_SMC_RETURN_OK, TEEC_SUCCESS);
	send("REVERSE into the unregistered reference",
	     reverse_msg(VALID_SESSION, VALID_REF, 0, 128), OPTEE_SMC_RETURN_OK,
	     TEEC_ERROR_BAD_PARAMETERS);
	send("CLOSE_SESSION", new_msg(OPTEE_MSG_CMD_CLOSE_SESSION, VALID_SESSION, 0, 0),
	     OPTEE_SMC_RETURN_OK, TEEC_SUCCESS);
	send("INVOKE on the closed session", add_msg(VALID_SESSION), OPTEE_SMC_RETURN_OK,
	     TEEC_ERROR_BAD_PARAMETERS);
}

static void vcpu_thread(struct vcpu *v)
{
	static const struct vcpu_ops ops = {
		.hypercall = service__hypercall,
		.system_event = vm__system_event,
	};

	if (!vcpu__loop(v, &ops))
		vm__stop(&vm, VM_ERROR, "vcpu%d: unexpected exit reason %u at pc 0x%llx",
			 v->id, v->run->exit_reason,
			 (unsigned long long)vcpu__get_reg(v, REG_PC));
}

static void usage(void)
{
	fprintf(stderr, "usage: optee-hostile [-n random calls] [-s seed] guest-tee.bin\n"
		"       optee-hostile --figures N guest-tee.bin\n");
	exit(1);
}

/* --figures: markers between the runs of N calls, timed here */
#define FIG_MARKER	0xc2000fff	/* SiP, SMC64: KVM forwards it */
#define FIG_MMIO	0x10000000	/* no memory there: an MMIO exit */
#define FIG_KINDS	5
static const char *const fig_names[FIG_KINDS] = {
	"optee_invoke_add", "optee_invoke_reverse", "optee_fast_call", "kvm_hvc", "mmio_exit",
};
static long long fig_ns[FIG_KINDS + 1];
static int nr_marks;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The service without the trace line or the tally; the markers' clock */
static bool fig_hypercall(struct vcpu *v, struct vmm_hypercall *hc)
{
	struct smccc_call c = { 0 };

	if (!hc->imm && hypercall__fid(hc) == FIG_MARKER) {
		if (nr_marks <= FIG_KINDS)
			fig_ns[nr_marks++] = now_ns();
		hc->regs[0] = 0;
	} else if (!optee__handle(v, hc, &c)) {
		hc->regs[0] = SMCCC_RET_NOT_SUPPORTED;
	}
	return true;
}

static bool fig_mmio(struct vcpu *v, uint64_t addr, uint8_t *data, uint32_t len,
		     bool is_write)
{
	(void)v;
	(void)addr;
	(void)len;
	if (!is_write)
		memset(data, 0, len);
	return true;
}

static void fig_thread(struct vcpu *v)
{
	static const struct vcpu_ops ops = {
		.hypercall = fig_hypercall,
		.mmio = fig_mmio,
		.system_event = vm__system_event,
	};

	if (!vcpu__loop(v, &ops))
		vm__stop(&vm, VM_ERROR, "vcpu%d: unexpected exit reason %u", v->id,
			 v->run->exit_reason);
}

/* N calls of each kind between markers; per call = (mark[k+1] - mark[k]) / N */
static int figures(int n)
{
	uint64_t add = add_msg(VALID_SESSION);
	uint64_t rev = reverse_msg(VALID_SESSION, VALID_REF, REV_OUT_OFFS, 128);
	int first = nr_entries;

	for (int k = 0; k < FIG_KINDS; k++) {
		call("marker", FIG_MARKER, 0, 0, 0, true, 0);
		for (int i = 0; i < n; i++) {
			switch (k) {
			case 0:
				send("ADD", add, OPTEE_SMC_RETURN_OK, TEEC_SUCCESS);
				break;
			case 1:
				send("REVERSE", rev, OPTEE_SMC_RETURN_OK, TEEC_SUCCESS);
				break;
			case 2:
				call("UID", OPTEE_SMC_CALLS_UID, 0, 0, 0, false, OPTEE_MSG_UID_0);
				break;
			case 3:
				call("SMCCC_VERSION", FID_SMCCC_VERSION, 0, 0, 0, true, 0x10001);
				break;
			case 4:
				call("MMIO", 0, FIG_MMIO, 0, 0, false, 0);
				entry(nr_entries - 1)[TEE_ENTRY_HOW / 8] = TEE_HOW_MMIO;
				break;
			}
		}
	}
	call("marker", FIG_MARKER, 0, 0, 0, true, 0);
	*(uint64_t *)host(TEE_TABLE, 8) = nr_entries;
	printf("optee-hostile: --figures: %d calls of each of %d kinds, %d calls in all\n", n,
	       FIG_KINDS, nr_entries - first);
	vm__start_vcpus(&vm, fig_thread);
	vm__join_vcpus(&vm);
	if (nr_marks != FIG_KINDS + 1 || vm.stop != VM_SYSTEM_OFF) {
		printf("optee-hostile: FAIL: %d markers of %d, %s\n", nr_marks, FIG_KINDS + 1,
		       vm.stop_reason);
		return 1;
	}
	/* the valid flow's calls must have worked for the figures to mean anything */
	for (int i = 0; i < nr_cases; i++) {
		const struct tcase *c = &cases[i];

		if (res(c, 0) != c->want_a0 && strcmp(c->name, "marker") &&
		    strcmp(c->name, "MMIO")) {
			printf("optee-hostile: FAIL: %s: a0 0x%llx, want 0x%x\n", c->name,
			       (unsigned long long)res(c, 0), c->want_a0);
			return 1;
		}
	}
	for (int k = 0; k < FIG_KINDS; k++)
		printf("RESULT what=%s n=%d ns_per_call=%lld\n", fig_names[k], n,
		       (fig_ns[k + 1] - fig_ns[k]) / n);
	printf("optee-hostile: PASS (figures; under -icount ns are instructions)\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *payload = NULL;
	unsigned long long seed;
	int nr_figures = 0, nr_random = 1500, failed = 0, random_failed = 0, nr_random_done = 0, tap = 0;
	char why[160], first_random[200] = "";
	uint8_t *canary;
	long long t0;
	struct timespec ts;

	setvbuf(stdout, NULL, _IOLBF, 0);
	vmm__set_name("optee-hostile");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			nr_random = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--figures") && i + 1 < argc)
			nr_figures = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			rng = strtoull(argv[++i], NULL, 0) | 1;
		else if (argv[i][0] == '-' || payload)
			usage();
		else
			payload = argv[i];
	}
	if (!payload || nr_random < 0 || nr_random > 4000 || nr_figures < 0 ||
	    nr_figures > (TEE_TABLE_MAX - 20) / FIG_KINDS)
		usage();
	seed = rng;

	vm__create(&vm);
	if ((smccc__conduits(&vm) & (VMM_CONDUIT_HVC | VMM_CONDUIT_SMC)) !=
	    (VMM_CONDUIT_HVC | VMM_CONDUIT_SMC))
		die("the kernel does not forward HVC and SMC (kernel without the series?)");
	vm__add_ram(&vm, TEE_RAM_BASE, TEE_RAM_SIZE);
	vm__load_file(&vm, payload, TEE_RAM_BASE);
	/* PSCI stays in KVM: the guest's SYSTEM_OFF ends the run */
	smccc__forward(&vm, VMM_CONDUIT_HVC | VMM_CONDUIT_SMC);
	vcpu__create(&vm, 0, VCPU_PSCI_0_2);
	/* PC: the payload's first instruction */
	vcpu__set_reg(&vm.vcpus[0], REG_PC, TEE_RAM_BASE);
	optee__init(&vm, tas, ARRAY_SIZE(tas), 0);
	service__init(services, ARRAY_SIZE(services));

	canary = host(TEE_CANARY, TEE_CANARY_END - TEE_CANARY);
	for (uint64_t i = 0; i < TEE_CANARY_END - TEE_CANARY; i++)
		canary[i] = (uint8_t)(i * 31 + 7);
	valid_start();
	if (nr_figures) {
		shm_fill(0xee);
		return figures(nr_figures);
	}
	hostile_calls();
	random_calls(nr_random);
	valid_end();
	*(uint64_t *)host(TEE_TABLE, 8) = nr_entries;
	shm_fill(0xee);
	printf("optee-hostile: %d calls in the guest's table (%d random, seed 0x%llx), "
	       "%d messages\n", nr_entries, nr_random, seed, nr_msgs);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	vm__start_vcpus(&vm, vcpu_thread);
	vm__join_vcpus(&vm);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("optee-hostile: the guest ran them in %lld ms: %s\n",
	       (ts.tv_sec * 1000000000LL + ts.tv_nsec - t0) / 1000000, vm.stop_reason);

	for (int i = 0; i < nr_cases; i++) {
		const struct tcase *c = &cases[i];
		uint64_t a0 = res(c, 0);
		bool ok;

		why[0] = '\0';
		if (c->kind != FIXED) {
			ok = c->check(c, why, sizeof(why));
			nr_random_done++;
			if (!ok && !random_failed++)
				snprintf(first_random, sizeof(first_random), "call %d (%s): %s",
					 c->entry, c->name, why);
			continue;
		}
		ok = a0 == c->want_a0;
		snprintf(why, sizeof(why), "a0 0x%llx%s", (unsigned long long)a0,
			 ok ? "" : ", wrong");
		if (ok && c->want_ret != NO_RET) {
			const struct optee_msg_arg *m = msg(c->msg);

			ok = m->ret == c->want_ret;
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 ", ret 0x%x origin %u%s", m->ret, m->ret_origin, ok ? "" : ", wrong");
		}
		if (ok && c->check) {
			char more[100];

			ok = c->check(c, more, sizeof(more));
			snprintf(why + strlen(why), sizeof(why) - strlen(why), "%s%s",
				 why[0] ? "; " : "", more);
		}
		printf("%sok %d - %s: %s\n", ok ? "" : "not ", ++tap, c->name, why);
		failed += !ok;
	}
	printf("%sok %d - %d random calls: every answer the ABI's%s%s\n", random_failed ? "not " : "",
	       ++tap, nr_random_done, random_failed ? "; first wrong: " : "", first_random);
	failed += !!random_failed;
	{
		uint64_t changed = 0;

		for (uint64_t i = 0; i < TEE_CANARY_END - TEE_CANARY; i++)
			changed += canary[i] != (uint8_t)(i * 31 + 7);
		printf("%sok %d - canary: %llu of %d bytes nothing refers to changed\n",
		       changed ? "not " : "", ++tap, (unsigned long long)changed,
		       TEE_CANARY_END - TEE_CANARY);
		failed += !!changed;
	}
	printf("%sok %d - the guest powered off after its last call (%s)\n",
	       vm.stop == VM_SYSTEM_OFF ? "" : "not ", ++tap, vm.stop_reason);
	failed += vm.stop != VM_SYSTEM_OFF;
	printf("1..%d\n", tap);
	printf("optee-hostile: %s (%d of %d cases failed)\n", failed ? "FAIL" : "PASS", failed,
	       tap);
	return failed ? 1 : 0;
}
