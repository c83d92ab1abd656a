/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest of "robust stress": makes x0 forwarded calls, every x1-th of them
 * preceded by a call KVM answers itself (x1 = 0: none), checks every
 * result and reports its totals. AArch64 EL1, MMU off, no stack, no
 * absolute addresses: stress.c copies the bytes between stress_guest and
 * stress_guest_end to STRESS_GPA of each VM.
 *
 * Forwarded call number seq (seq & 3 picks hvc #0, smc #0, hvc #imm or
 * smc #imm) passes x0 STRESS_FID, x1 vCPU (MPIDR.Aff0), x2 seq, x3 arg (an
 * LCG stream), x4-x17 = vcpu << 48 | seq << 8 | n; the VMM answers x0 0,
 * x1 f(arg, seq, vcpu, kind), x2 ~seq, x3 the vCPU whose exit it handled,
 * and must leave x4-x17 alone.
 *
 * Registers: x19 vcpu, x20 seq, x21 calls to make, x22/x23 forwarded
 * ok/failed, x24/x25 in-kernel ok/failed, x26 in-kernel period, x27
 * countdown to the next one, x28 first failed seq + 1, x29 LCG state;
 * x18 and x30 scratch.
 */
#include "robust_abi.h"

	.section .rodata.stress_guest, "a"
	.balign	16
	.global	stress_guest, stress_guest_end
stress_guest:
	mrs	x19, mpidr_el1
	and	x19, x19, #0xff
	mov	x21, x0
	mov	x26, x1
	mov	x27, x1
	mov	x20, #0
	mov	x22, #0
	mov	x23, #0
	mov	x24, #0
	mov	x25, #0
	mov	x28, #0
	ldr	x29, =STRESS_LCG_SEED
	eor	x29, x29, x19

loop:
	cmp	x20, x21
	b.hs	report
	cbz	x26, forwarded
	subs	x27, x27, #1
	b.ne	forwarded
	mov	x27, x26

	/* In-kernel call number (x24 + x25) & 3: 16-byte table entries */
	add	x30, x24, x25
	and	x30, x30, #3
	adr	x18, 1f
	add	x18, x18, x30, lsl #4
	br	x18
1:	ldr	x0, =0x80000000		/* SMCCC_VERSION over HVC: 1.1 */
	hvc	#0
	ldr	x18, =0x10001
	b	2f
	ldr	x0, =0x84000000		/* PSCI_VERSION over SMC: 1.1 */
	smc	#0
	ldr	x18, =0x10001
	b	2f
	ldr	x0, =0x80008000		/* WORKAROUND_1 over HVC #0: hyp fast path */
	hvc	#0
	mov	x18, #0
	b	2f
	ldr	x0, =0x84000050		/* TRNG_VERSION over SMC: 1.0 */
	smc	#0
	ldr	x18, =0x10000
	b	2f
2:	cmp	x0, x18
	b.ne	3f
	add	x24, x24, #1
	b	forwarded
3:	add	x25, x25, #1

forwarded:
	ldr	x0, =STRESS_FID
	mov	x1, x19
	mov	x2, x20
	ldr	x18, =STRESS_LCG_MUL
	ldr	x30, =STRESS_LCG_INC
	madd	x29, x29, x18, x30
	mov	x3, x29
	lsl	x30, x20, #8
	orr	x30, x30, x19, lsl #48
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
	add	x\n, x30, #\n
	.endr

	/* Conduit and immediate by seq & 3: 8-byte table entries */
	and	x30, x20, #3
	adr	x18, 1f
	add	x18, x18, x30, lsl #3
	br	x18
1:	hvc	#0
	b	2f
	smc	#0
	b	2f
	hvc	#STRESS_IMM_HVC
	b	2f
	smc	#STRESS_IMM_SMC
	b	2f

	/* x18 = expected x1; then all checks chained on the flags */
2:	ldr	x18, =STRESS_MUL
	mul	x18, x29, x18
	eor	x18, x18, x20, lsl #16
	eor	x18, x18, x19, lsl #8
	and	x30, x20, #3
	eor	x18, x18, x30
	cmp	x0, #0
	ccmp	x1, x18, #0, eq
	mvn	x30, x20
	ccmp	x2, x30, #0, eq
	ccmp	x3, x19, #0, eq
	lsl	x30, x20, #8
	orr	x30, x30, x19, lsl #48
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
	add	x18, x30, #\n
	ccmp	x\n, x18, #0, eq
	.endr
	b.ne	3f
	add	x22, x22, #1
	b	4f
3:	add	x23, x23, #1
	cbnz	x28, 4f
	add	x28, x20, #1
4:	add	x20, x20, #1
	b	loop

report:
	ldr	x0, =STRESS_REPORT
	mov	x1, x19
	mov	x2, x20
	mov	x3, x22
	mov	x4, x23
	mov	x5, x24
	mov	x6, x25
	mov	x7, x28
	hvc	#0
	b	.
	.ltorg
	.balign	16
stress_guest_end:
