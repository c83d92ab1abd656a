// SPDX-License-Identifier: GPL-2.0
/*
 * OP-TEE as an FF-A partition of vmm/ffa.c, as far as Linux's OP-TEE driver
 * over FF-A (drivers/tee/optee/ffa_abi.c, optee_ffa.h for the ABI) goes at
 * probe: the driver matches the partition by OP-TEE's UUID, then asks over
 * 32-bit direct messages for the API version (1.0 required), the OS
 * revision and the capabilities. With no capabilities and no FFA_MEM_SHARE
 * in vmm/ffa.c its shared-memory pool cannot register a buffer, so its
 * device enumeration finds no pseudo TA and the probe ends there, with
 * /dev/tee0 registered: trusted applications are vmm/optee.c's (SMC ABI).
 */
#include "ffa.h"

const char ffa_optee_uuid[] = "486178e0-e7f8-11e3-bc5e-0002a5d5c51b";

/* Service IDs in w3 (OPTEE_FFA_BLOCKING_CALL(n); bit 31: yielding calls) */
#define OPTEE_FFA_GET_API_VERSION	0
#define OPTEE_FFA_GET_OS_VERSION	1
#define OPTEE_FFA_EXCHANGE_CAPABILITIES	2
#define OPTEE_FFA_UNREGISTER_SHM	3
/* GlobalPlatform's TEEC_ERROR_NOT_SUPPORTED, OP-TEE's answer to an unknown ID */
#define TEEC_ERROR_NOT_SUPPORTED	0xffff000a
/* What this "OP-TEE" says it is: API 1.0, revision 0.1 */
#define API_MAJOR			1
#define API_MINOR			0
#define OS_MAJOR			0
#define OS_MINOR			1

void ffa_optee__direct(uint64_t d[5], bool smc64)
{
	uint64_t id = d[0];

	(void)smc64;
	for (int i = 0; i < 5; i++)
		d[i] = 0;
	switch (id) {
	case OPTEE_FFA_GET_API_VERSION:
		d[0] = API_MAJOR;
		d[1] = API_MINOR;
		break;
	case OPTEE_FFA_GET_OS_VERSION:
		d[0] = OS_MAJOR;
		d[1] = OS_MINOR;
		break;
	case OPTEE_FFA_EXCHANGE_CAPABILITIES:
		/* success, no RPC parameters, no capabilities, default notifications */
		break;
	case OPTEE_FFA_UNREGISTER_SHM:
		/* nothing is ever registered: no FFA_MEM_SHARE */
		d[0] = TEEC_ERROR_NOT_SUPPORTED;
		break;
	default:
		d[0] = TEEC_ERROR_NOT_SUPPORTED;
		break;
	}
}
