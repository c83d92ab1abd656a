// SPDX-License-Identifier: GPL-2.0
/*
 * OP-TEE over its SMC ABI (optee.h), written from OP-TEE's ABI headers
 * (optee_smc.h, optee_msg.h) and what Linux's driver (drivers/tee/optee/)
 * does with them:
 *
 *  - probe: CALLS_UID, GET_OS_REVISION, CALLS_REVISION, GET_THREAD_COUNT,
 *    EXCHANGE_CAPABILITIES (DYNAMIC_SHM only: every buffer is registered
 *    with a page list, no reserved pool, no RPC argument), then the shared
 *    memory cache calls (there is no cache: DISABLE answers ENOTAVAIL,
 *    "nothing cached", ENABLE answers OK) and a session with the device
 *    enumeration pseudo TA, which lists no devices;
 *  - CALL_WITH_ARG: a1:a2 is the guest physical address of a struct
 *    optee_msg_arg. It is copied in once (the guest may change it under us:
 *    only the copy is read), handled, and written back. Every call is
 *    answered at once: no RPC, no thread ever suspended.
 *
 * Errors follow OP-TEE's: a message that is not in guest RAM or misaligned
 * is a0 = EBADADDR, an unknown command EBADCMD, an unknown function
 * UNKNOWN_FUNCTION; anything wrong inside a message (parameter types, shared
 * memory references, offsets, sizes, page lists) is ret =
 * TEEC_ERROR_BAD_PARAMETERS with ret_origin TEE, and the TA never runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optee.h"

#define PAGE_4K		OPTEE_MSG_NONCONTIG_PAGE_SIZE
#define MSG_PARAMS_MAX	(OPTEE_TA_PARAMS + 2)	/* OPEN_SESSION: 2 meta + the TA's */
#define SESSIONS_MAX	64
#define SHM_MAX		256			/* registered buffers */
#define SHM_PAGES_MAX	16384			/* 64 MiB per buffer */
#define THREADS		VMM_MAX_VCPUS		/* GET_THREAD_COUNT's answer */
#define OS_REV_MAJOR	4			/* GET_OS_REVISION: "4.0" */
#define OS_REV_MINOR	0
/* What the secure world offers: dynamic shared memory, nothing else */
#define SEC_CAPS	OPTEE_SMC_SEC_CAP_DYNAMIC_SHM

/* Linux's device enumeration pseudo TA (drivers/tee/optee/device.c) */
#define PTA_CMD_GET_DEVICES		0
#define PTA_CMD_GET_DEVICES_SUPP	1

/* A registered buffer: its pages (4 KiB, in guest RAM), offset in the first */
struct shm {
	uint64_t ref;		/* the guest's shm_ref cookie; 0: free slot */
	uint64_t size;
	uint32_t offs, npages;
	uint64_t *pages;
};

struct session {
	uint32_t id;		/* 0: free slot */
	const struct optee_ta *ta;
	uint64_t state;
};

/* A memref parameter while the TA runs: where its bytes go back to */
struct memref {
	struct shm *shm;	/* RMEM; else TMEM at gpa */
	uint64_t offs, gpa, size;
};

static struct {
	pthread_mutex_t lock;
	struct vm *vm;
	const struct optee_ta *const *tas;
	int nr_tas;
	unsigned int plant;
	struct session sessions[SESSIONS_MAX];
	uint32_t last_id;
	struct shm shm[SHM_MAX];
	struct optee_stats stats;
} optee = { .lock = PTHREAD_MUTEX_INITIALIZER };

static const char *const cmd_names[] = {
	[OPTEE_MSG_CMD_OPEN_SESSION] = "OPEN_SESSION",
	[OPTEE_MSG_CMD_INVOKE_COMMAND] = "INVOKE_COMMAND",
	[OPTEE_MSG_CMD_CLOSE_SESSION] = "CLOSE_SESSION",
	[OPTEE_MSG_CMD_CANCEL] = "CANCEL",
	[OPTEE_MSG_CMD_REGISTER_SHM] = "REGISTER_SHM",
	[OPTEE_MSG_CMD_UNREGISTER_SHM] = "UNREGISTER_SHM",
};

static uint32_t pta_devices_open(uint64_t *state, struct optee_param *p)
{
	(void)state;
	(void)p;
	return TEEC_SUCCESS;
}

/* memref[0] out: the UUIDs of the devices; there are none */
static uint32_t pta_devices_invoke(uint64_t *state, uint32_t cmd, struct optee_param *p)
{
	(void)state;
	if (cmd != PTA_CMD_GET_DEVICES && cmd != PTA_CMD_GET_DEVICES_SUPP)
		return TEEC_ERROR_NOT_SUPPORTED;
	if (!optee_param_is_memref(&p[0]) || !optee_param_out(&p[0]))
		return TEEC_ERROR_BAD_PARAMETERS;
	p[0].size = 0;
	return TEEC_SUCCESS;
}

static const struct optee_ta pta_devices = {
	.name = "device-enumeration-pta",
	/* 7011a688-ddde-4053-a5a9-7b3c4ddf13b8 */
	.uuid = { 0x70, 0x11, 0xa6, 0x88, 0xdd, 0xde, 0x40, 0x53,
		  0xa5, 0xa9, 0x7b, 0x3c, 0x4d, 0xdf, 0x13, 0xb8 },
	.open = pta_devices_open,
	.invoke = pta_devices_invoke,
};

void optee__init(struct vm *vm, const struct optee_ta *const *tas, int nr, unsigned int plant)
{
	optee.vm = vm;
	optee.tas = tas;
	optee.nr_tas = nr;
	optee.plant = plant;
}

void optee__reset(void)
{
	pthread_mutex_lock(&optee.lock);
	for (int i = 0; i < SHM_MAX; i++) {
		free(optee.shm[i].pages);
		optee.shm[i] = (struct shm){ 0 };
	}
	memset(optee.sessions, 0, sizeof(optee.sessions));
	pthread_mutex_unlock(&optee.lock);
}

void optee__stats(struct optee_stats *out)
{
	pthread_mutex_lock(&optee.lock);
	*out = optee.stats;
	pthread_mutex_unlock(&optee.lock);
}

static const struct optee_ta *find_ta(const uint8_t *uuid)
{
	if (!memcmp(uuid, pta_devices.uuid, 16))
		return &pta_devices;
	for (int i = 0; i < optee.nr_tas; i++)
		if (!memcmp(uuid, optee.tas[i]->uuid, 16))
			return optee.tas[i];
	return NULL;
}

static struct session *find_session(uint32_t id)
{
	for (int i = 0; id && i < SESSIONS_MAX; i++)
		if (optee.sessions[i].id == id)
			return &optee.sessions[i];
	return NULL;
}

static struct shm *find_shm(uint64_t ref)
{
	for (int i = 0; ref && i < SHM_MAX; i++)
		if (optee.shm[i].ref == ref)
			return &optee.shm[i];
	return NULL;
}

/* Copy between a registered buffer at offs and buf, page by page */
static bool shm_copy(const struct shm *s, uint64_t offs, uint8_t *buf, uint64_t size,
		     bool to_guest)
{
	uint64_t pos = s->offs + offs;	/* from the start of the first page */

	while (size) {
		uint64_t in = pos % PAGE_4K, n = PAGE_4K - in < size ? PAGE_4K - in : size;
		uint8_t *host = vm__gpa_to_host(optee.vm, s->pages[pos / PAGE_4K] + in, n);

		if (!host)
			return false;
		if (to_guest)
			memcpy(host, buf, n);
		else
			memcpy(buf, host, n);
		pos += n;
		buf += n;
		size -= n;
	}
	return true;
}

/*
 * The pages of a buffer: a NONCONTIG page list at list (511 page addresses
 * and the next list page's, per 4 KiB), else npages contiguous from first.
 * Every address 4 KiB-aligned and a whole page of guest RAM; the chain is
 * followed for npages entries at most, so a loop in it ends too.
 */
static bool read_pages(uint64_t *pages, uint32_t npages, bool noncontig, uint64_t addr)
{
	uint64_t list[OPTEE_MSG_PAGELIST_ENTRIES + 1];
	uint32_t i = 0, j;

	if (!noncontig) {
		for (i = 0; i < npages; i++) {
			pages[i] = addr + (uint64_t)i * PAGE_4K;
			if (!vm__gpa_to_host(optee.vm, pages[i], PAGE_4K))
				return false;
		}
		return true;
	}
	while (i < npages) {
		const void *host = addr % PAGE_4K ? NULL :
				   vm__gpa_to_host(optee.vm, addr, PAGE_4K);

		if (!host)
			return false;
		memcpy(list, host, sizeof(list));
		for (j = 0; j < OPTEE_MSG_PAGELIST_ENTRIES && i < npages; j++, i++) {
			if (list[j] % PAGE_4K || !vm__gpa_to_host(optee.vm, list[j], PAGE_4K))
				return false;
			pages[i] = list[j];
		}
		addr = list[OPTEE_MSG_PAGELIST_ENTRIES];
	}
	return true;
}

/* REGISTER_SHM: param[0] TMEM (| NONCONTIG): buf_ptr, size, shm_ref */
static uint32_t register_shm(struct optee_msg_arg *arg)
{
	const struct optee_msg_param *p = &arg->params[0];
	uint32_t type = p->attr & OPTEE_MSG_ATTR_TYPE_MASK;
	bool noncontig = p->attr & OPTEE_MSG_ATTR_NONCONTIG;
	uint64_t offs = p->u.tmem.buf_ptr % PAGE_4K, size = p->u.tmem.size;
	struct shm *s = NULL;
	uint32_t npages;

	if (arg->num_params != 1 || type < OPTEE_MSG_ATTR_TYPE_TMEM_INPUT ||
	    type > OPTEE_MSG_ATTR_TYPE_TMEM_INOUT || !p->u.tmem.shm_ref ||
	    find_shm(p->u.tmem.shm_ref) || !size ||
	    size > (uint64_t)SHM_PAGES_MAX * PAGE_4K - offs)
		return TEEC_ERROR_BAD_PARAMETERS;
	npages = (offs + size + PAGE_4K - 1) / PAGE_4K;
	for (int i = 0; i < SHM_MAX && !s; i++)
		if (!optee.shm[i].ref)
			s = &optee.shm[i];
	if (!s)
		return TEEC_ERROR_OUT_OF_MEMORY;
	s->pages = malloc(npages * sizeof(*s->pages));
	if (!s->pages)
		return TEEC_ERROR_OUT_OF_MEMORY;
	if (!read_pages(s->pages, npages, noncontig, p->u.tmem.buf_ptr - offs)) {
		free(s->pages);
		s->pages = NULL;
		return TEEC_ERROR_BAD_PARAMETERS;
	}
	s->ref = p->u.tmem.shm_ref;
	s->size = size;
	s->offs = offs;
	s->npages = npages;
	optee.stats.registered++;
	return TEEC_SUCCESS;
}

/* UNREGISTER_SHM: param[0] RMEM with the shm_ref */
static uint32_t unregister_shm(struct optee_msg_arg *arg)
{
	const struct optee_msg_param *p = &arg->params[0];
	uint32_t type = p->attr & OPTEE_MSG_ATTR_TYPE_MASK;
	struct shm *s;

	if (arg->num_params != 1 || type < OPTEE_MSG_ATTR_TYPE_RMEM_INPUT ||
	    type > OPTEE_MSG_ATTR_TYPE_RMEM_INOUT)
		return TEEC_ERROR_BAD_PARAMETERS;
	s = find_shm(p->u.rmem.shm_ref);
	if (!s)
		return TEEC_ERROR_BAD_PARAMETERS;
	free(s->pages);
	*s = (struct shm){ 0 };
	optee.stats.unregistered++;
	return TEEC_SUCCESS;
}

/* One memref parameter in: checked, and its bytes copied if the TA reads them */
static bool import_memref(const struct optee_msg_param *mp, uint32_t type,
			  struct optee_param *tp, struct memref *m)
{
	bool tmem = type >= OPTEE_MSG_ATTR_TYPE_TMEM_INPUT;
	uint64_t size = tmem ? mp->u.tmem.size : mp->u.rmem.size;
	uint8_t *host = NULL;

	tp->type = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT + (type & 3) - 1;
	tp->size = m->size = size;
	if (size > OPTEE_TA_MEMREF_MAX)
		return false;
	if (tmem) {
		m->gpa = mp->u.tmem.buf_ptr;
		/* A null reference (the enumeration's size query): no buffer */
		if (!m->gpa)
			return true;
		host = vm__gpa_to_host(optee.vm, m->gpa, size);
		if (!host)
			return false;
	} else {
		m->shm = find_shm(mp->u.rmem.shm_ref);
		m->offs = mp->u.rmem.offs;
		if (!m->shm || size > m->shm->size || m->offs > m->shm->size - size)
			return false;
	}
	tp->buf = calloc(1, size ? size : 1);
	if (!tp->buf)
		return false;
	if (!optee_param_in(tp))
		return true;
	if (host)
		memcpy(tp->buf, host, size);
	return host || shm_copy(m->shm, m->offs, tp->buf, size, false);
}

/*
 * The message's parameters from first on, as the TA sees them. Only
 * value and memory-reference types, no META; the cache attribute bits
 * (16-18) are ignored.
 */
static bool import_params(const struct optee_msg_arg *arg, int first,
			  struct optee_param *tp, struct memref *m)
{
	for (uint32_t i = first; i < arg->num_params; i++) {
		const struct optee_msg_param *mp = &arg->params[i];
		uint32_t type = mp->attr & OPTEE_MSG_ATTR_TYPE_MASK;
		struct optee_param *p = &tp[i - first];

		if (mp->attr & ~(uint64_t)(OPTEE_MSG_ATTR_TYPE_MASK | 7u << 16))
			return false;
		switch (type) {
		case OPTEE_MSG_ATTR_TYPE_NONE:
			break;
		case OPTEE_MSG_ATTR_TYPE_VALUE_INPUT ... OPTEE_MSG_ATTR_TYPE_VALUE_INOUT:
			p->type = type;
			p->a = mp->u.value.a;
			p->b = mp->u.value.b;
			p->c = mp->u.value.c;
			break;
		case OPTEE_MSG_ATTR_TYPE_RMEM_INPUT ... OPTEE_MSG_ATTR_TYPE_RMEM_INOUT:
		case OPTEE_MSG_ATTR_TYPE_TMEM_INPUT ... OPTEE_MSG_ATTR_TYPE_TMEM_INOUT:
			if (!import_memref(mp, type, p, &m[i - first]))
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

/* The TA's outputs back into the message and the guest's buffers */
static void export_params(struct optee_msg_arg *arg, int first, struct optee_param *tp,
			  const struct memref *m, uint32_t ret)
{
	for (uint32_t i = first; i < arg->num_params; i++) {
		struct optee_msg_param *mp = &arg->params[i];
		const struct optee_param *p = &tp[i - first];
		const struct memref *r = &m[i - first];
		bool tmem = (mp->attr & OPTEE_MSG_ATTR_TYPE_MASK) >= OPTEE_MSG_ATTR_TYPE_TMEM_INPUT;
		uint64_t size = p->size;

		if (!optee_param_out(p))
			continue;
		if (!optee_param_is_memref(p)) {
			mp->u.value.a = p->a;
			mp->u.value.b = p->b;
			mp->u.value.c = p->c;
			continue;
		}
		if (tmem)
			mp->u.tmem.size = size;
		else
			mp->u.rmem.size = size;
		if (ret != TEEC_SUCCESS || size > r->size || !p->buf ||
		    (optee.plant & OPTEE_PLANT_NO_WRITEBACK))
			continue;
		if (r->shm) {
			shm_copy(r->shm, r->offs, p->buf, size, true);
		} else if (r->gpa) {
			uint8_t *host = vm__gpa_to_host(optee.vm, r->gpa, size);

			if (host)
				memcpy(host, p->buf, size);
		}
	}
}

/* OPEN_SESSION (2 meta values: the TA's UUID, the client's) and INVOKE_COMMAND */
static uint32_t call_ta(struct optee_msg_arg *arg, char *note, size_t size)
{
	struct optee_param tp[OPTEE_TA_PARAMS] = { 0 };
	struct memref m[OPTEE_TA_PARAMS] = { 0 };
	bool open = arg->cmd == OPTEE_MSG_CMD_OPEN_SESSION;
	int first = open ? 2 : 0;
	struct session *s = NULL;
	uint32_t ret = TEEC_ERROR_BAD_PARAMETERS;
	uint64_t meta = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META;

	arg->ret_origin = TEEC_ORIGIN_TEE;
	if (arg->num_params < (uint32_t)first || arg->num_params - first > OPTEE_TA_PARAMS)
		return ret;
	if (open) {
		const struct optee_ta *ta;

		if (arg->params[0].attr != meta || arg->params[1].attr != meta)
			return ret;
		ta = find_ta(arg->params[0].u.octets);
		if (!ta)
			return TEEC_ERROR_ITEM_NOT_FOUND;
		for (int i = 0; i < SESSIONS_MAX && !s; i++)
			if (!optee.sessions[i].id)
				s = &optee.sessions[i];
		if (!s)
			return TEEC_ERROR_OUT_OF_MEMORY;
		/* the slot stays free (id 0) unless the TA opens the session */
		*s = (struct session){ .ta = ta };
	} else {
		s = find_session(arg->session);
		if (!s)
			return ret;
	}
	snprintf(note, size, "%s", s->ta->name);
	if (import_params(arg, first, tp, m)) {
		arg->ret_origin = TEEC_ORIGIN_TRUSTED_APP;
		ret = open ? s->ta->open(&s->state, tp) :
			     s->ta->invoke(&s->state, arg->func, tp);
		export_params(arg, first, tp, m, ret);
	}
	for (int i = 0; i < OPTEE_TA_PARAMS; i++)
		free(tp[i].buf);
	if (open && ret == TEEC_SUCCESS) {
		/* ids: never 0, not reused while open */
		do
			optee.last_id++;
		while (!optee.last_id || find_session(optee.last_id));
		s->id = optee.last_id;
		arg->session = s->id;
		optee.stats.opened++;
	} else if (!open) {
		optee.stats.invoked++;
	}
	return ret;
}

static uint32_t close_session(struct optee_msg_arg *arg)
{
	struct session *s = find_session(arg->session);

	if (!s || arg->num_params)
		return TEEC_ERROR_BAD_PARAMETERS;
	*s = (struct session){ 0 };
	optee.stats.closed++;
	return TEEC_SUCCESS;
}

/*
 * CALL_WITH_ARG: the message at gpa. Returns a0: OK (the result in the
 * message's ret), EBADADDR or EBADCMD.
 */
static uint32_t call_with_arg(uint64_t gpa, char *note, size_t size)
{
	uint64_t buf[OPTEE_MSG_ARG_SIZE(MSG_PARAMS_MAX) / sizeof(uint64_t)];
	struct optee_msg_arg *arg = (struct optee_msg_arg *)buf;
	char what[48] = "";
	size_t len = sizeof(*arg);
	void *host;

	/* The message is 8-byte aligned (its parameters are u64s) */
	host = gpa % 8 ? NULL : vm__gpa_to_host(optee.vm, gpa, len);
	if (!host) {
		snprintf(note, size, "EBADADDR (message at 0x%llx)", (unsigned long long)gpa);
		return OPTEE_SMC_RETURN_EBADADDR;
	}
	memcpy(arg, host, len);
	if (arg->num_params <= MSG_PARAMS_MAX) {
		len = OPTEE_MSG_ARG_SIZE(arg->num_params);
		host = vm__gpa_to_host(optee.vm, gpa, len);
		if (!host) {
			snprintf(note, size, "EBADADDR (message of %zu bytes at 0x%llx)", len,
				 (unsigned long long)gpa);
			return OPTEE_SMC_RETURN_EBADADDR;
		}
		memcpy(arg, host, len);
		/* the guest may have changed it in between: keep the first count */
		arg->num_params = (len - sizeof(*arg)) / sizeof(struct optee_msg_param);
	}
	optee.stats.msgs++;
	if (arg->cmd >= ARRAY_SIZE(cmd_names)) {
		snprintf(note, size, "EBADCMD (cmd %u)", arg->cmd);
		return OPTEE_SMC_RETURN_EBADCMD;
	}
	if (arg->num_params > MSG_PARAMS_MAX) {
		/* only the header is the guest's to read: the answer goes there */
		arg->ret = TEEC_ERROR_BAD_PARAMETERS;
		arg->ret_origin = TEEC_ORIGIN_TEE;
		snprintf(what, sizeof(what), "%u params", arg->num_params);
	} else {
		arg->ret_origin = TEEC_ORIGIN_TEE;
		switch (arg->cmd) {
		case OPTEE_MSG_CMD_OPEN_SESSION:
		case OPTEE_MSG_CMD_INVOKE_COMMAND:
			arg->ret = call_ta(arg, what, sizeof(what));
			break;
		case OPTEE_MSG_CMD_CLOSE_SESSION:
			arg->ret = close_session(arg);
			break;
		case OPTEE_MSG_CMD_CANCEL:
			/* every call is answered before the next: nothing to cancel */
			arg->ret = TEEC_SUCCESS;
			break;
		case OPTEE_MSG_CMD_REGISTER_SHM:
			arg->ret = register_shm(arg);
			if (arg->ret == TEEC_SUCCESS)
				snprintf(what, sizeof(what), "%llu bytes",
					 (unsigned long long)arg->params[0].u.tmem.size);
			break;
		case OPTEE_MSG_CMD_UNREGISTER_SHM:
			arg->ret = unregister_shm(arg);
			break;
		}
	}
	memcpy(host, arg, len);
	if (arg->ret != TEEC_SUCCESS)
		optee.stats.refused++;
	snprintf(note, size, "%s%s%s%s session %u func %u -> ret 0x%x origin %u",
		 cmd_names[arg->cmd], what[0] ? " (" : "", what, what[0] ? ")" : "",
		 arg->session, arg->func, arg->ret, arg->ret_origin);
	return OPTEE_SMC_RETURN_OK;
}

/* Calls to a Trusted OS: owners 50..63 (DEN0028, "Function Identifiers") */
static bool is_trusted_os(uint32_t fid)
{
	return SMCCC_OWNER(fid) >= 50;
}

bool optee__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c)
{
	uint64_t *r = hc->regs;
	/* SMC32: the arguments are w1..w7 */
	uint64_t msg = (uint64_t)(uint32_t)r[1] << 32 | (uint32_t)r[2];
	uint32_t fid, a0;

	(void)v;
	if (hc->imm || !is_trusted_os(hypercall__fid(hc)))
		return false;
	fid = hypercall__fid(hc);
	pthread_mutex_lock(&optee.lock);
	optee.stats.calls++;
	c->kind = VMM_CALL_OPTEE;
	c->arg_lo = 1;
	c->nres = 1;
	/* SMC32: the results are 32-bit, the rest of the registers 0 */
	r[1] = r[2] = r[3] = 0;
	switch (fid) {
	case OPTEE_SMC_CALLS_UID:
		r[0] = OPTEE_MSG_UID_0;
		r[1] = OPTEE_MSG_UID_1;
		r[2] = OPTEE_MSG_UID_2;
		r[3] = OPTEE_MSG_UID_3;
		c->nres = 4;
		break;
	case OPTEE_SMC_GET_OS_UUID:
		r[0] = OPTEE_OS_UUID_0;
		r[1] = OPTEE_OS_UUID_1;
		r[2] = OPTEE_OS_UUID_2;
		r[3] = OPTEE_OS_UUID_3;
		c->nres = 4;
		break;
	case OPTEE_SMC_CALLS_REVISION:
		r[0] = OPTEE_MSG_REVISION_MAJOR;
		r[1] = OPTEE_MSG_REVISION_MINOR;
		c->nres = 2;
		break;
	case OPTEE_SMC_GET_OS_REVISION:
		/* major, minor, build id (0: none) */
		r[0] = OS_REV_MAJOR;
		r[1] = OS_REV_MINOR;
		c->nres = 3;
		break;
	case OPTEE_SMC_CALLS_COUNT:
		/* the functions this switch answers, this one included */
		r[0] = 11;
		break;
	case OPTEE_SMC_EXCHANGE_CAPABILITIES:
		/* a1 in: the normal world's (uniprocessor or not): no matter here */
		c->arg_hi = 1;
		r[0] = OPTEE_SMC_RETURN_OK;
		r[1] = SEC_CAPS;
		c->nres = 2;
		snprintf(c->note, sizeof(c->note), "DYNAMIC_SHM");
		break;
	case OPTEE_SMC_GET_THREAD_COUNT:
		r[0] = OPTEE_SMC_RETURN_OK;
		r[1] = THREADS;
		c->nres = 2;
		break;
	case OPTEE_SMC_DISABLE_SHM_CACHE:
		/* nothing cached */
		r[0] = OPTEE_SMC_RETURN_ENOTAVAIL;
		break;
	case OPTEE_SMC_ENABLE_SHM_CACHE:
		r[0] = OPTEE_SMC_RETURN_OK;
		break;
	case OPTEE_SMC_RETURN_FROM_RPC:
		/* no thread is ever suspended in an RPC */
		r[0] = OPTEE_SMC_RETURN_ERESUME;
		break;
	case OPTEE_SMC_CALL_WITH_ARG:
		c->arg_hi = 2;
		a0 = call_with_arg(msg, c->note, sizeof(c->note));
		r[0] = a0;
		r[1] = r[2] = 0;
		if (a0 != OPTEE_SMC_RETURN_OK)
			optee.stats.refused++;
		break;
	default:
		/* GET_SHM_CONFIG (no reserved memory), RPC_ARG, async notif, ... */
		r[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
		c->arg_hi = 3;
		c->dump = true;
		snprintf(c->note, sizeof(c->note), "UNKNOWN_FUNCTION");
		optee.stats.refused++;
		break;
	}
	pthread_mutex_unlock(&optee.lock);
	return true;
}
