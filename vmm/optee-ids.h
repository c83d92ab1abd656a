/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OP-TEE SMC ABI's numbers, in one place for vmm/optee.c, decode.c
 * and the guests that speak it (demo/'s Linux guest program, robust/'s
 * payload): the function IDs and return codes of the SMC interface
 * (OP-TEE's optee_smc.h), the message layout of OPTEE_SMC_CALL_WITH_ARG
 * (optee_msg.h) and the GlobalPlatform TEE Client API's result codes the
 * message carries (GPD_SPE_007, "TEEC_..."). Written from those
 * documents; plain #defines and one struct, no code. Assembler payloads
 * define OPTEE_IDS_NO_STRUCTS.
 */
#ifndef VMM_OPTEE_IDS_H
#define VMM_OPTEE_IDS_H

/*
 * Function IDs: SMC32, owner "Trusted OS" (50) for OP-TEE's own calls,
 * "Trusted OS end" (63) for the UID/revision calls every Trusted OS has.
 * Fast calls have bit 31 set; CALL_WITH_ARG is a yielding call.
 */
#define OPTEE_SMC_FAST(n)		(0xb2000000 | (n))
#define OPTEE_SMC_STD(n)		(0x32000000 | (n))
#define OPTEE_SMC_CALLS_COUNT		0xbf00ff00
#define OPTEE_SMC_CALLS_UID		0xbf00ff01
#define OPTEE_SMC_CALLS_REVISION	0xbf00ff03
#define OPTEE_SMC_GET_OS_UUID		OPTEE_SMC_FAST(0)
#define OPTEE_SMC_GET_OS_REVISION	OPTEE_SMC_FAST(1)
#define OPTEE_SMC_RETURN_FROM_RPC	OPTEE_SMC_STD(3)
#define OPTEE_SMC_CALL_WITH_ARG		OPTEE_SMC_STD(4)
#define OPTEE_SMC_GET_SHM_CONFIG	OPTEE_SMC_FAST(7)
#define OPTEE_SMC_EXCHANGE_CAPABILITIES	OPTEE_SMC_FAST(9)
#define OPTEE_SMC_DISABLE_SHM_CACHE	OPTEE_SMC_FAST(10)
#define OPTEE_SMC_ENABLE_SHM_CACHE	OPTEE_SMC_FAST(11)
#define OPTEE_SMC_GET_THREAD_COUNT	OPTEE_SMC_FAST(15)
#define OPTEE_SMC_ENABLE_ASYNC_NOTIF	OPTEE_SMC_FAST(16)
#define OPTEE_SMC_GET_ASYNC_NOTIF_VALUE	OPTEE_SMC_FAST(17)
#define OPTEE_SMC_CALL_WITH_RPC_ARG	OPTEE_SMC_STD(18)
#define OPTEE_SMC_CALL_WITH_REGD_ARG	OPTEE_SMC_STD(19)

/* a0 of every answer */
#define OPTEE_SMC_RETURN_OK		0x0
#define OPTEE_SMC_RETURN_ETHREAD_LIMIT	0x1
#define OPTEE_SMC_RETURN_EBUSY		0x2
#define OPTEE_SMC_RETURN_ERESUME	0x3
#define OPTEE_SMC_RETURN_EBADADDR	0x4
#define OPTEE_SMC_RETURN_EBADCMD	0x5
#define OPTEE_SMC_RETURN_ENOMEM		0x6
#define OPTEE_SMC_RETURN_ENOTAVAIL	0x7
#define OPTEE_SMC_RETURN_UNKNOWN_FUNCTION 0xffffffff

/* CALLS_UID: 384fb3e0-e7f8-11e3-af63-0002a5d5c51b; CALLS_REVISION 2.0 */
#define OPTEE_MSG_UID_0			0x384fb3e0
#define OPTEE_MSG_UID_1			0xe7f811e3
#define OPTEE_MSG_UID_2			0xaf630002
#define OPTEE_MSG_UID_3			0xa5d5c51b
#define OPTEE_MSG_REVISION_MAJOR	2
#define OPTEE_MSG_REVISION_MINOR	0
/* GET_OS_UUID: OP-TEE's, 486178e0-e7f8-11e3-bc5e-0002a5d5c51b */
#define OPTEE_OS_UUID_0			0x486178e0
#define OPTEE_OS_UUID_1			0xe7f811e3
#define OPTEE_OS_UUID_2			0xbc5e0002
#define OPTEE_OS_UUID_3			0xa5d5c51b

/* EXCHANGE_CAPABILITIES: the secure world's capabilities (a1 of the answer) */
#define OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM	(1u << 0)
#define OPTEE_SMC_SEC_CAP_DYNAMIC_SHM		(1u << 2)
#define OPTEE_SMC_SEC_CAP_MEMREF_NULL		(1u << 4)
#define OPTEE_SMC_SEC_CAP_ASYNC_NOTIF		(1u << 5)
#define OPTEE_SMC_SEC_CAP_RPC_ARG		(1u << 6)

/* struct optee_msg_arg.cmd */
#define OPTEE_MSG_CMD_OPEN_SESSION	0
#define OPTEE_MSG_CMD_INVOKE_COMMAND	1
#define OPTEE_MSG_CMD_CLOSE_SESSION	2
#define OPTEE_MSG_CMD_CANCEL		3
#define OPTEE_MSG_CMD_REGISTER_SHM	4
#define OPTEE_MSG_CMD_UNREGISTER_SHM	5

/* struct optee_msg_param.attr */
#define OPTEE_MSG_ATTR_TYPE_NONE	0x0
#define OPTEE_MSG_ATTR_TYPE_VALUE_INPUT	0x1
#define OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT 0x2
#define OPTEE_MSG_ATTR_TYPE_VALUE_INOUT	0x3
#define OPTEE_MSG_ATTR_TYPE_RMEM_INPUT	0x5
#define OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT	0x6
#define OPTEE_MSG_ATTR_TYPE_RMEM_INOUT	0x7
#define OPTEE_MSG_ATTR_TYPE_TMEM_INPUT	0x9
#define OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT	0xa
#define OPTEE_MSG_ATTR_TYPE_TMEM_INOUT	0xb
#define OPTEE_MSG_ATTR_TYPE_MASK	0xff
#define OPTEE_MSG_ATTR_META		(1u << 8)	/* OPEN_SESSION's first two */
#define OPTEE_MSG_ATTR_NONCONTIG	(1u << 9)	/* tmem.buf_ptr: a page list */
/*
 * A NONCONTIG page list: 4 KiB pages of 511 page addresses and, last,
 * the address of the next list page; buf_ptr's low 12 bits are the
 * buffer's offset in its first page.
 */
#define OPTEE_MSG_NONCONTIG_PAGE_SIZE	4096
#define OPTEE_MSG_PAGELIST_ENTRIES	511

/* GlobalPlatform TEE Client API results (optee_msg_arg.ret) and origins */
#define TEEC_SUCCESS			0x00000000
#define TEEC_ERROR_GENERIC		0xffff0000
#define TEEC_ERROR_BAD_FORMAT		0xffff0005
#define TEEC_ERROR_BAD_PARAMETERS	0xffff0006
#define TEEC_ERROR_BAD_STATE		0xffff0007
#define TEEC_ERROR_ITEM_NOT_FOUND	0xffff0008
#define TEEC_ERROR_NOT_IMPLEMENTED	0xffff0009
#define TEEC_ERROR_NOT_SUPPORTED	0xffff000a
#define TEEC_ERROR_OUT_OF_MEMORY	0xffff000c
#define TEEC_ERROR_BUSY			0xffff000d
#define TEEC_ERROR_COMMUNICATION	0xffff000e
#define TEEC_ERROR_SHORT_BUFFER		0xffff0010
#define TEEC_ORIGIN_API			1
#define TEEC_ORIGIN_COMMS		2
#define TEEC_ORIGIN_TEE			3
#define TEEC_ORIGIN_TRUSTED_APP		4

/*
 * The VMM's demo TA (vmm/optee-ta.c): its UUID, made up for this project
 * (e2a9c1b4-5f0e-4b8c-9d3a-7e6f5a4b3c2d), and its commands.
 */
#define VMM_TA_UUID_BYTES	0xe2, 0xa9, 0xc1, 0xb4, 0x5f, 0x0e, 0x4b, 0x8c, \
				0x9d, 0x3a, 0x7e, 0x6f, 0x5a, 0x4b, 0x3c, 0x2d
/* value[0] in: a, b; value[1] out: a = a + b, b = a * b (64-bit, wrapping) */
#define VMM_TA_CMD_ADD		0
/* value[0] inout: a += 1, b = number of INCREMENT calls in this session */
#define VMM_TA_CMD_INCREMENT	1
/*
 * memref[0] in, memref[1] out (at least as large): [1] = [0] reversed,
 * value[2] out: a = the sum of [0]'s bytes, b = its size
 */
#define VMM_TA_CMD_REVERSE	2
/* memref[0] inout: each byte XOR 0xff in place; value[1] out: a = bytes */
#define VMM_TA_CMD_INVERT	3

#ifndef OPTEE_IDS_NO_STRUCTS
#include <stdint.h>

/* The message of OPTEE_SMC_CALL_WITH_ARG, at the address in a1:a2 */
struct optee_msg_param {
	uint64_t attr;
	union {
		struct { uint64_t buf_ptr, size, shm_ref; } tmem;
		struct { uint64_t offs, size, shm_ref; } rmem;
		struct { uint64_t a, b, c; } value;
		uint8_t octets[24];
	} u;
};

struct optee_msg_arg {
	uint32_t cmd;
	uint32_t func;
	uint32_t session;
	uint32_t cancel_id;
	uint32_t pad;
	uint32_t ret;
	uint32_t ret_origin;
	uint32_t num_params;
	struct optee_msg_param params[];
};
#define OPTEE_MSG_ARG_SIZE(n)	(sizeof(struct optee_msg_arg) + \
				 (n) * sizeof(struct optee_msg_param))
#endif

#endif
