/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OP-TEE over its SMC ABI, as a service any VMM on vmm/ can use (an
 * smccc_service, reached over SMC or HVC): the calls Linux's OP-TEE driver
 * probes with (UID, revision, OS UUID and revision, capabilities: dynamic
 * shared memory only), OPTEE_SMC_CALL_WITH_ARG with its struct
 * optee_msg_arg in guest RAM (open/invoke/close session, cancel,
 * register/unregister shared memory with the non-contiguous page list),
 * and trusted applications that live in the VMM, handed to it as a table.
 * Every address, size, count and offset the guest gives is checked against
 * guest RAM and the ABI's limits; a bad one gets the ABI's error code.
 * State (sessions, registered shared memory) is optee.c's own, under one
 * lock; numbers of the ABI in optee-ids.h.
 */
#ifndef VMM_OPTEE_H
#define VMM_OPTEE_H

#include "vmm.h"
#include "optee-ids.h"

/* A parameter as a TA sees it: values, or the VMM's copy of a buffer */
#define OPTEE_TA_PARAMS		4	/* GlobalPlatform: 4 per call */
#define OPTEE_TA_MEMREF_MAX	(1u << 20)	/* larger buffers: BAD_PARAMETERS */
struct optee_param {
	uint32_t type;		/* OPTEE_MSG_ATTR_TYPE_NONE, _VALUE_*, _RMEM_* (any memref) */
	uint64_t a, b, c;	/* value */
	uint8_t *buf;		/* memref: NULL for a null reference */
	uint64_t size;		/* memref: its size; an output's, set by the TA */
};
#define optee_param_is_memref(p)	((p)->type >= OPTEE_MSG_ATTR_TYPE_RMEM_INPUT)
#define optee_param_in(p)		((p)->type & 1)	/* *_INPUT, *_INOUT */
#define optee_param_out(p)		((p)->type & 2)	/* *_OUTPUT, *_INOUT */

/*
 * A trusted application: open and invoke return a TEEC_* result. *state is
 * the session's own word (0 at open). An output memref's size may be set
 * larger than the buffer with TEEC_ERROR_SHORT_BUFFER (nothing is copied
 * back then) or smaller (that many bytes are).
 */
struct optee_ta {
	const char *name;
	uint8_t uuid[16];
	uint32_t (*open)(uint64_t *state, struct optee_param *p);
	uint32_t (*invoke)(uint64_t *state, uint32_t cmd, struct optee_param *p);
};

/* optee-ta.c: the demo TA (VMM_TA_* in optee-ids.h) */
extern const struct optee_ta optee_ta_demo;

/* Planted faults, for tests that must catch them */
#define OPTEE_PLANT_NO_WRITEBACK	(1u << 0)	/* output memrefs not copied back */

/*
 * Before the vCPUs run: the TAs (the table must outlive the VM; the
 * device-enumeration pseudo TA Linux opens at probe is built in), names for
 * the trace. plant: OPTEE_PLANT_* or 0.
 */
void optee__init(struct vm *vm, const struct optee_ta *const *tas, int nr, unsigned int plant);
/* The service: every call in the Trusted OS owner ranges (50, 63) */
bool optee__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c);
/* After a system reset: no sessions, no registered shared memory */
void optee__reset(void);

/* What was served, for a program's summary */
struct optee_stats {
	unsigned int calls, msgs, opened, invoked, closed, registered, unregistered;
	unsigned int refused;	/* answers with an error code */
};
void optee__stats(struct optee_stats *out);

#endif
