/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest payload of the benchmark VMM. Runs at EL1 with the MMU off, at
 * GUEST_RAM_BASE, no stack, on every vCPU alike. It asks the VMM for a
 * job with an MMIO read of BENCH_MMIO_CMD (answer: loop kind << 32 |
 * iterations), runs that many iterations of the loop, checks every
 * result, and asks again: the next read is also the end of the job.
 *
 * The loops are short and the same on every kernel, so what a run
 * measures beyond them is the cost of the call. A failed check writes
 * its guest.S line to BENCH_MMIO_FAIL with x3 = got, x4 = expected.
 *
 * Registers: x0-x17 call arguments/results, x9-x10 scratch, x21
 * iterations left, x28 MMIO base.
 */
#include "smccc-ids.h"
#include "bench_abi.h"

/* fail unless \reg == \exp (a register) */
.macro	expect reg, exp, line
	cmp	\reg, \exp
	b.eq	9990f
	mov	x3, \reg
	mov	x4, \exp
	mov	x1, #\line
	b	fail
9990:
.endm
#define EXPECT(reg, exp)	expect reg, exp, __LINE__

	.text
	.global	_start
_start:
	ldr	x28, =BENCH_MMIO_BASE

next:
	ldr	x9, [x28, #BENCH_MMIO_CMD]	/* exit: the VMM hands out a job */
	lsr	x10, x9, #32
	mov	w21, w9				/* iterations */
	cmp	x10, #LOOP_INKERNEL
	b.eq	inkernel
	cmp	x10, #LOOP_SIP_7X4
	b.eq	sip_7x4
	cmp	x10, #LOOP_SIP_X0
	b.eq	sip_x0
	cmp	x10, #LOOP_MMIO
	b.eq	mmio
	mov	x3, x10
	mov	x4, #0
	mov	x1, #__LINE__			/* unknown loop kind */
	b	fail

/* (1) answered in the kernel: SMCCC_VERSION, never forwarded (SPEC §5 step 3) */
inkernel:
	cbz	x21, next
1:	mov	x0, #FID_SMCCC_VERSION
	hvc	#0
	tbz	x0, #31, 2f			/* a version, not NOT_SUPPORTED */
	mov	x3, x0
	mov	x4, #0x10000
	mov	x1, #__LINE__
	b	fail
2:	subs	x21, x21, #1
	b.ne	1b
	b	next

/* (2)/(3) a SiP call with 7 arguments and 4 results, answered by the VMM */
sip_7x4:
	cbz	x21, next
1:	ldr	x0, =BENCH_SIP_7X4
	mov	x1, x21
	mov	x2, #2
	mov	x3, #3
	mov	x4, #4
	mov	x5, #5
	mov	x6, #6
	mov	x7, #7
	hvc	#0
	EXPECT(x0, xzr)				/* SUCCESS */
	add	x9, x21, #(2 + 3 + 4 + 5 + 6 + 7)
	EXPECT(x1, x9)				/* x1 + ... + x7 */
	eor	x9, x21, #7
	EXPECT(x2, x9)				/* x1 ^ x7 */
	mvn	x9, x21
	EXPECT(x3, x9)				/* ~x1 */
	subs	x21, x21, #1
	b.ne	1b
	b	next

/* (2b)/(3b) a SiP call without arguments, x0 the only result */
sip_x0:
	cbz	x21, next
1:	ldr	x0, =BENCH_SIP_X0
	hvc	#0
	EXPECT(x0, xzr)				/* SUCCESS */
	subs	x21, x21, #1
	b.ne	1b
	b	next

/* (4) MMIO write exit: the floor for any exit to userspace */
mmio:
	cbz	x21, next
1:	str	x21, [x28, #BENCH_MMIO_DATA]
	subs	x21, x21, #1
	b.ne	1b
	b	next

fail:
	str	x1, [x28, #BENCH_MMIO_FAIL]
	b	fail

	.ltorg
