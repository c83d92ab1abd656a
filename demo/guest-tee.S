/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of optee-hostile.c: make every call of the table at TEE_TABLE
 * (tee_abi.h) in order (SMC, HVC or an MMIO write), store x0..x3 after it
 * in its entry, then PSCI SYSTEM_OFF. x20..x22 survive the calls (SMCCC:
 * callee-saved).
 */
#include "tee_abi.h"

	.text
	.globl	_start
_start:
	ldr	x20, =TEE_TABLE
	ldr	x21, [x20]			/* count */
	add	x22, x20, #TEE_ENTRY_FIRST
1:	cbz	x21, 4f
	ldp	x0, x1, [x22, #TEE_ENTRY_X]
	ldp	x2, x3, [x22, #TEE_ENTRY_X + 16]
	ldp	x4, x5, [x22, #TEE_ENTRY_X + 32]
	ldp	x6, x7, [x22, #TEE_ENTRY_X + 48]
	ldr	x9, [x22, #TEE_ENTRY_HOW]
	cmp	x9, #TEE_HOW_HVC
	b.eq	2f
	b.hi	6f
	smc	#0
	b	3f
2:	hvc	#0
	b	3f
6:	str	x0, [x1]
3:	stp	x0, x1, [x22, #TEE_ENTRY_RES]
	stp	x2, x3, [x22, #TEE_ENTRY_RES + 16]
	add	x22, x22, #TEE_ENTRY_SIZE
	sub	x21, x21, #1
	b	1b
4:	ldr	x0, =TEE_PSCI_SYSTEM_OFF
	hvc	#0
5:	wfi
	b	5b
	.ltorg
