/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the demo VMM and its guest payload agree on. Included by C and by
 * guest.S, so only plain #defines (no suffixes, no casts).
 */
#ifndef DEMO_GUEST_ABI_H
#define DEMO_GUEST_ABI_H

/* Guest RAM: the payload is loaded at its base, vCPU0 starts there. */
#define GUEST_RAM_BASE		0x80000000
#define GUEST_RAM_SIZE		0x200000

/*
 * The VMM's own SiP service (SMCCC owner 2, fast calls). SMC64 IDs for the
 * calls that pass 64-bit values, the standard per-service revision query
 * in its SMC32 form (SMCCC DEN0028, "Service Call Revision").
 */
#define DEMO_SIP_COUNT		0xc2000000	/* x1 <- SiP calls by this vCPU */
#define DEMO_SIP_SUM		0xc2000001	/* x0 <- x1+..+x17, xi <- ~x(18-i) */
#define DEMO_SIP_REPORT		0xc2000002	/* x1 = 0 pass / guest.S line */
#define DEMO_SIP_REVISION	0x8200ff03	/* x0 <- major, x1 <- minor */
#define DEMO_SIP_REV_MAJOR	1
#define DEMO_SIP_REV_MINOR	0

/* Not SMCCC: "hvc #1" prints a guest string, x0 = address, x1 = length. */
#define DEMO_HVC_CONSOLE	1

/* Calls nobody implements, to show the NOT_SUPPORTED path. */
#define DEMO_UNKNOWN_OEM	0xc3000042
#define DEMO_UNKNOWN_HVC_IMM	0x77

/* CPU_ON of vCPU1 (MPIDR Aff0 = 1 as KVM assigns it). */
#define DEMO_CPU1_MPIDR		1
#define DEMO_CPU1_CONTEXT_ID	0x00c0ffee5ec0dd01

/* What the guest found at start, passed in x2 of DEMO_SIP_REPORT. */
#define DEMO_MODE_FULL		1	/* the VMM answers SiP and console */
#define DEMO_MODE_TRACE		2	/* everything forwarded is NOT_SUPPORTED */

#endif
