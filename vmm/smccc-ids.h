/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SMCCC and PSCI function IDs, their fields and return values, in one
 * place for vmm/ (decode.c, psci.c), demo/, bench/ and robust/: the calls
 * of the Arm Architecture service (SMCCC DEN0028), PSCI (DEN0022, the
 * numbers from <linux/psci.h>) and the other calls KVM implements. Plain
 * #defines, so that guest payloads (.S) can include it too; no uAPI here
 * (that is smccc.h's).
 */
#ifndef VMM_SMCCC_IDS_H
#define VMM_SMCCC_IDS_H

#include <linux/psci.h>

/* Function ID fields (DEN0028, "Function Identifiers") */
#define SMCCC_FAST			0x80000000	/* fast call, else yielding */
#define SMCCC_SMC64			0x40000000	/* SMC64/HVC64, else SMC32 */
#define SMCCC_OWNER(fid)		(((fid) >> 24) & 0x3f)
#define SMCCC_FUNC(fid)			((fid) & 0xffff)

/* Arm Architecture service (owner 0); KVM keeps all of it */
#define FID_SMCCC_VERSION		0x80000000
#define FID_ARCH_FEATURES		0x80000001
#define FID_SOC_ID			0x80000002
#define FID_WORKAROUND_3		0x80003fff
#define FID_WORKAROUND_2		0x80007fff
#define FID_WORKAROUND_1		0x80008000

/* Standard Secure service (owner 4): PSCI 0x00-0x1f, TRNG */
#define FID_PSCI_BASE			PSCI_0_2_FN_BASE	/* SMC32; | SMCCC_SMC64 */
#define FID_PSCI_NR			0x20
#define FID_PSCI_VERSION		PSCI_0_2_FN_PSCI_VERSION
#define FID_PSCI_CPU_OFF		PSCI_0_2_FN_CPU_OFF
#define FID_TRNG_VERSION		0x84000050
#define FID_TRNG_FEATURES		0x84000051
#define FID_TRNG_GET_UUID		0x84000052
#define FID_TRNG_RND32			0x84000053
#define FID_TRNG_RND64			0xc4000053

/* Standard Hypervisor service (owner 5): PV time */
#define FID_PV_TIME_FEATURES		0xc5000020
#define FID_PV_TIME_ST			0xc5000021

/* Vendor Hypervisor service (owner 6): KVM's own */
#define FID_KVM_FEATURES		0x86000000
#define FID_KVM_PTP			0x86000001
#define FID_VENDOR_UID			0x8600ff01

/* KVM's PSCI 0.1 IDs (CPU_SUSPEND, CPU_OFF, CPU_ON, MIGRATE), 4 in a row */
#define FID_PSCI01_BASE			0x95c1ba5e
#define FID_PSCI01_NR			4

/*
 * FF-A (Arm DEN0077): Standard Secure service, functions 0x60-0xef, SMC32
 * unless named ...64. The calls vmm/ffa.c serves or names, the version it
 * speaks and the FFA_ERROR status codes (in w2).
 */
#define FFA_FN_FIRST			0x60
#define FFA_FN_LAST			0xef
#define FID_FFA_ERROR			0x84000060
#define FID_FFA_SUCCESS			0x84000061
#define FID_FFA_SUCCESS64		0xc4000061
#define FID_FFA_VERSION			0x84000063
#define FID_FFA_FEATURES		0x84000064
#define FID_FFA_RX_RELEASE		0x84000065
#define FID_FFA_RXTX_MAP		0x84000066
#define FID_FFA_RXTX_MAP64		0xc4000066
#define FID_FFA_RXTX_UNMAP		0x84000067
#define FID_FFA_PARTITION_INFO_GET	0x84000068
#define FID_FFA_ID_GET			0x84000069
#define FID_FFA_MSG_SEND_DIRECT_REQ	0x8400006f
#define FID_FFA_MSG_SEND_DIRECT_REQ64	0xc400006f
#define FID_FFA_MSG_SEND_DIRECT_RESP	0x84000070
#define FID_FFA_MSG_SEND_DIRECT_RESP64	0xc4000070
#define FID_FFA_NOTIFICATION_BITMAP_CREATE 0x8400007d
#define FID_FFA_PARTITION_INFO_GET_REGS	0xc400008b
#define FFA_VERSION_1_0			0x10000
#define FFA_VERSION_1_1			0x10001
#define FFA_PAGE_SIZE			4096
#define FFA_OK				0
#define FFA_NOT_SUPPORTED		(-1)
#define FFA_INVALID_PARAMETERS		(-2)
#define FFA_NO_MEMORY			(-3)
#define FFA_BUSY			(-4)
#define FFA_INTERRUPTED			(-5)
#define FFA_DENIED			(-6)
#define FFA_RETRY			(-7)
#define FFA_ABORTED			(-8)
#define FFA_NO_DATA			(-9)

/* Return values and versions (SMCCC_VERSION, PSCI_VERSION: major << 16 | minor) */
#define SMCCC_VERSION_1_1		0x10001
#define SMCCC_VERSION_1_2		0x10002
#define TRNG_VERSION_1_0		0x10000
#define KVM_VENDOR_UID_0		0xb66fb428	/* ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0 */

#ifdef __ASSEMBLER__
#define SMCCC_RET_NOT_SUPPORTED		0xffffffffffffffff
#else
#include <stdbool.h>
#include <stdint.h>

#define SMCCC_RET_SUCCESS		0
#define SMCCC_RET_NOT_SUPPORTED		((uint64_t)-1)
#define SMCCC_RET_INVALID_PARAMETER	((uint64_t)-3)

/* A PSCI 0.2+ call: Standard Secure 0x00-0x1f, SMC32 or SMC64 */
static inline bool smccc_is_psci(uint32_t fid)
{
	return (fid & ~(SMCCC_SMC64 | (FID_PSCI_NR - 1))) == FID_PSCI_BASE;
}

/* Its function number, the same for SMC32 and SMC64 (PSCI_0_2_FN(n)) */
static inline unsigned int smccc_psci_fn(uint32_t fid)
{
	return fid & (FID_PSCI_NR - 1);
}

/* An FF-A call: Standard Secure 0x60-0xef, fast, SMC32 or SMC64 */
static inline bool smccc_is_ffa(uint32_t fid)
{
	return (fid & ~SMCCC_SMC64 & ~0xffffu) == 0x84000000 &&
	       SMCCC_FUNC(fid) >= FFA_FN_FIRST && SMCCC_FUNC(fid) <= FFA_FN_LAST;
}
#endif

#endif
