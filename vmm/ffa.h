/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FF-A (Arm DEN0077, v1.1) as a service any VMM on vmm/ can use: the VMM
 * plays the partition manager for one guest (the VM) and serves one
 * partition of its own. FFA_VERSION, FFA_FEATURES, FFA_ID_GET,
 * FFA_RXTX_MAP (SMC32/SMC64), FFA_RXTX_UNMAP, FFA_RX_RELEASE,
 * FFA_PARTITION_INFO_GET (descriptors written into the guest's RX buffer,
 * which the guest then owns until FFA_RX_RELEASE) and
 * FFA_MSG_SEND_DIRECT_REQ (SMC32/SMC64) answered with
 * FFA_MSG_SEND_DIRECT_RESP. Everything else in the FF-A range (notifications,
 * memory sharing, indirect messages, ...) gets FFA_ERROR NOT_SUPPORTED, as
 * from a firmware without them.
 *
 * The guest is untrusted: every address, count and ID it passes is checked
 * (page aligned, inside guest RAM, bounded, RX ownership), and a bad one
 * gets FFA_ERROR with the spec's status code; the VMM keeps serving. The
 * Linux driver needs SMCCC 1.2 (smccc__set_version) to call at all.
 *
 * The state (the RX/TX pair, RX ownership, the caller's version) is this
 * file's, under one lock: one VM per program, as psci.c.
 */
#ifndef VMM_FFA_H
#define VMM_FFA_H

#include "vmm.h"

/* The partition the VMM serves, and the guest's own endpoint ID */
struct ffa_config {
	uint16_t vm_id;		/* the guest's ID (FFA_ID_GET), not 0 (the hypervisor's) */
	uint16_t part_id;	/* the VMM's partition, e.g. 0x8001 */
	uint8_t uuid[16];	/* its UUID, bytes in string order (as Linux's %pUb) */
	/*
	 * The partition's direct messages: data[0..4] holds w3..w7 (SMC64:
	 * x3..x7) of the request and gets the response's; NULL: the echo
	 * partition below
	 */
	void (*direct)(uint64_t data[5], bool smc64);
};

/*
 * The echo partition's direct messages: the response carries x3 = x3+..+x7 and
 * x4..x7 = ~x7..~x4 of the request (SMC32: w registers, 32-bit arithmetic),
 * so that a caller can check every register it gets back.
 */

/* Before the vCPUs run; the names for the trace are decode.c's */
void ffa__init(struct vm *vm, const struct ffa_config *cfg);
/* After a system reset: no buffers mapped, as at power-on */
void ffa__reset(void);
/* An smccc_service: takes every fast call in the FF-A range */
bool ffa__handle(struct vcpu *v, struct vmm_hypercall *hc, struct smccc_call *c);

/* UUID string ("714c47e6-1e0e-4ce1-...") <-> bytes: 0 or -EINVAL; format returns buf */
int ffa__parse_uuid(const char *s, uint8_t uuid[16]);
char *ffa__format_uuid(const uint8_t uuid[16], char *buf, size_t size);

/* What the guest did, for a program's verdict */
struct ffa_stats {
	unsigned int calls;		/* every FF-A call */
	unsigned int errors;		/* answered FFA_ERROR (NOT_SUPPORTED included) */
	unsigned int version, rxtx_map_ok, partition_info_ok, rx_release_ok;
	unsigned int direct_req_ok;
};
struct ffa_stats ffa__stats(void);

/*
 * ffa-optee.c: OP-TEE as an FF-A partition, as far as Linux's OP-TEE driver
 * (drivers/tee/optee/ffa_abi.c) goes at probe: its UUID and a direct-message
 * handler for GET_API_VERSION (1.0), GET_OS_VERSION and
 * EXCHANGE_CAPABILITIES (none); no memory sharing, no trusted applications
 */
extern const char ffa_optee_uuid[];
void ffa_optee__direct(uint64_t data[5], bool smc64);

#endif
