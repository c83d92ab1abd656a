/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What optee-hostile.c and its guest (guest-tee.S) agree on. Included by C
 * and by the assembler: plain #defines only.
 *
 * The host writes a table of calls into guest RAM; the guest makes each one
 * (x0..x7 from the entry, SMC or HVC, or an MMIO write for the figures),
 * stores x0..x3 of the answer back into the entry, and powers off (PSCI
 * SYSTEM_OFF, kept by KVM) after the last.
 */
#ifndef DEMO_TEE_ABI_H
#define DEMO_TEE_ABI_H

#define TEE_RAM_BASE		0x80000000
#define TEE_RAM_SIZE		0x400000
#define TEE_TABLE		0x80010000	/* u64 count, then the entries */
#define TEE_ENTRY_FIRST		64		/* offset of entry 0 */
#define TEE_ENTRY_SIZE		128
#define TEE_ENTRY_X		0		/* u64 x0..x7 in */
#define TEE_ENTRY_HOW		64		/* u64: TEE_HOW_* */
#define TEE_HOW_SMC		0		/* smc #0 */
#define TEE_HOW_HVC		1		/* hvc #0 */
#define TEE_HOW_MMIO		2		/* str x0, [x1]: an MMIO write exit */
#define TEE_ENTRY_RES		80		/* u64 x0..x3 out */
#define TEE_TABLE_MAX		7000		/* entries up to TEE_MSGS */
#define TEE_MSGS		0x80100000	/* 256-byte message slots */
#define TEE_MSG_SLOT		256
#define TEE_BUFS		0x80200000	/* the valid flow's page list and buffers */
#define TEE_SCRATCH		0x80240000	/* what random messages point into */
#define TEE_CANARY		0x80300000	/* nothing refers here: must not change */
#define TEE_CANARY_END		0x803ff000	/* the last page: messages at RAM's end */

#define TEE_PSCI_SYSTEM_OFF	0x84000008

#endif
