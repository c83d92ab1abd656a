// SPDX-License-Identifier: GPL-2.0
/*
 * The demo trusted application (optee.h's struct optee_ta), served by
 * optee.c: value and memory-reference commands (VMM_TA_CMD_* in
 * optee-ids.h) whose results a guest can check. Its buffers are optee.c's
 * copies: the TA never sees a guest address.
 */
#include <string.h>

#include "optee.h"

#define NONE		OPTEE_MSG_ATTR_TYPE_NONE
#define VAL_IN		OPTEE_MSG_ATTR_TYPE_VALUE_INPUT
#define VAL_OUT		OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT
#define VAL_INOUT	OPTEE_MSG_ATTR_TYPE_VALUE_INOUT
#define MEM_IN		OPTEE_MSG_ATTR_TYPE_RMEM_INPUT
#define MEM_OUT		OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT
#define MEM_INOUT	OPTEE_MSG_ATTR_TYPE_RMEM_INOUT

/* The four parameters have these types (GlobalPlatform's TEE_PARAM_TYPES) */
static bool types(const struct optee_param *p, uint32_t t0, uint32_t t1, uint32_t t2,
		  uint32_t t3)
{
	return p[0].type == t0 && p[1].type == t1 && p[2].type == t2 && p[3].type == t3;
}

static uint32_t demo_open(uint64_t *state, struct optee_param *p)
{
	*state = 0;
	return types(p, NONE, NONE, NONE, NONE) ? TEEC_SUCCESS : TEEC_ERROR_BAD_PARAMETERS;
}

static uint32_t demo_invoke(uint64_t *state, uint32_t cmd, struct optee_param *p)
{
	uint64_t sum = 0;

	switch (cmd) {
	case VMM_TA_CMD_ADD:
		if (!types(p, VAL_IN, VAL_OUT, NONE, NONE))
			return TEEC_ERROR_BAD_PARAMETERS;
		p[1].a = p[0].a + p[0].b;
		p[1].b = p[0].a * p[0].b;
		p[1].c = 0;
		return TEEC_SUCCESS;
	case VMM_TA_CMD_INCREMENT:
		if (!types(p, VAL_INOUT, NONE, NONE, NONE))
			return TEEC_ERROR_BAD_PARAMETERS;
		p[0].a++;
		p[0].b = ++*state;
		return TEEC_SUCCESS;
	case VMM_TA_CMD_REVERSE:
		if (!types(p, MEM_IN, MEM_OUT, VAL_OUT, NONE) || !p[0].buf || !p[1].buf)
			return TEEC_ERROR_BAD_PARAMETERS;
		if (p[1].size < p[0].size) {
			/* tell the caller how much room the result needs */
			p[1].size = p[0].size;
			return TEEC_ERROR_SHORT_BUFFER;
		}
		for (uint64_t i = 0; i < p[0].size; i++) {
			p[1].buf[i] = p[0].buf[p[0].size - 1 - i];
			sum += p[0].buf[i];
		}
		p[1].size = p[0].size;
		p[2].a = sum;
		p[2].b = p[0].size;
		p[2].c = 0;
		return TEEC_SUCCESS;
	case VMM_TA_CMD_INVERT:
		if (!types(p, MEM_INOUT, VAL_OUT, NONE, NONE) || !p[0].buf)
			return TEEC_ERROR_BAD_PARAMETERS;
		for (uint64_t i = 0; i < p[0].size; i++)
			p[0].buf[i] ^= 0xff;
		p[1].a = p[0].size;
		p[1].b = p[1].c = 0;
		return TEEC_SUCCESS;
	default:
		return TEEC_ERROR_NOT_SUPPORTED;
	}
}

const struct optee_ta optee_ta_demo = {
	.name = "vmm-demo-ta",
	.uuid = { VMM_TA_UUID_BYTES },
	.open = demo_open,
	.invoke = demo_invoke,
};
