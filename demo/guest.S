/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest payload of the demo VMM. Runs at EL1 with the MMU off, at
 * GUEST_RAM_BASE, no stack. vCPU0 queries PSCI, starts vCPU1 with CPU_ON;
 * both call the VMM's SiP service over HVC and SMC and check every
 * register that comes back; vCPU1 turns itself off, vCPU0 checks that with
 * AFFINITY_INFO, reports through DEMO_SIP_REPORT and ends with SYSTEM_OFF.
 *
 * A failed check reports x1 = the guest.S line, x3 = got, x4 = expected.
 * Under "vmm --trace-only" the VMM answers every forwarded call with
 * NOT_SUPPORTED; the guest notices at its first SiP call and then expects
 * exactly that (x20 = DEMO_MODE_TRACE), while PSCI runs in the kernel.
 *
 * Registers: x0-x17 call arguments/results, x18 scratch, x20 mode,
 * x21-x24 loop state.
 */
#include "smccc-ids.h"
#include "guest_abi.h"

#define SUM_PATTERN		0x0101010101010101

/* fail unless \reg == \val */
.macro	expect reg, val, line
	ldr	x18, =\val
	cmp	\reg, x18
	b.eq	9990f
	mov	x3, \reg
	mov	x4, x18
	mov	x1, #\line
	b	fail
9990:
.endm
#define EXPECT(reg, val)	expect reg, val, __LINE__

/* fail unless \lo <= \reg <= \hi (unsigned) */
.macro	expect_range reg, lo, hi, line
	ldr	x18, =\lo
	cmp	\reg, x18
	b.lo	9991f
	ldr	x18, =\hi
	cmp	\reg, x18
	b.ls	9992f
9991:	mov	x3, \reg
	mov	x4, x18
	mov	x1, #\line
	b	fail
9992:
.endm

/* SMCCC call: function ID \fid in x0, arguments already in x1.. */
.macro	call conduit, fid
	ldr	x0, =\fid
	\conduit	#0
.endm

/* In trace mode a VMM service answers NOT_SUPPORTED: check that, skip to \done */
.macro	trace_mode_check line, done
	cmp	x20, #DEMO_MODE_TRACE
	b.ne	9988f
	expect	x0, SMCCC_RET_NOT_SUPPORTED, \line
	b	\done
9988:
.endm

/* Print \text through the non-SMCCC "hvc #DEMO_HVC_CONSOLE" */
.macro	say text, line
	b	9995f
9993:	.ascii	"\text"
9994:	.balign	4
9995:	adr	x0, 9993b
	mov	x1, #(9994b - 9993b)
	mov	x21, x1
	hvc	#DEMO_HVC_CONSOLE
	trace_mode_check \line, 9996f
	cmp	x0, x21				/* x0 = bytes printed */
	b.eq	9996f
	mov	x3, x0
	mov	x4, x21
	mov	x1, #\line
	b	fail
9996:
.endm

/*
 * demo.sum: x1..x17 = i * SUM_PATTERN + \salt. Expect x0 = their sum,
 * xi = ~x(18-i): a result in the wrong register or lost on the way back
 * cannot pass.
 */
.macro	sip_sum conduit, salt, line
	.irp	i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
	ldr	x\i, =(\i * SUM_PATTERN + \salt)
	.endr
	call	\conduit, DEMO_SIP_SUM
	trace_mode_check \line, 9997f
	expect	x0, (153 * SUM_PATTERN + 17 * \salt), \line
	.irp	i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
	expect	x\i, ~((18 - \i) * SUM_PATTERN + \salt), \line
	.endr
9997:
.endm

/* demo.count: this vCPU's SiP calls so far, this one included */
.macro	sip_count conduit, n, line
	call	\conduit, DEMO_SIP_COUNT
	trace_mode_check \line, 9998f
	expect	x0, 0, \line
	expect	x1, \n, \line
9998:
.endm

/* Spin until the word at \flag is non-zero, at most \secs seconds */
.macro	wait_flag flag, secs, line
	bl	deadline_\secs
9999:	ldr	x18, =\flag
	ldr	x18, [x18]
	cbnz	x18, 9989f
	mrs	x18, cntvct_el0
	cmp	x18, x21
	b.lo	9999b
	mov	x3, #0
	mov	x4, #1
	mov	x1, #\line
	b	fail
9989:
.endm

/* Set the word at \flag to 1 */
.macro	set_flag flag
	ldr	x18, =\flag
	mov	x0, #1
	str	x0, [x18]
	dsb	sy
.endm

	.text
	.global	_start
_start:
	/* vCPU0, at GUEST_RAM_BASE, x0 = 0 */
	EXPECT(x0, 0)

	/*
	 * The Arm Architecture service always stays in the kernel (SPEC §5
	 * step 3); it answers 1.2, which the VMM advertised (SPEC §7), since
	 * demo.sum passes x1..x17 (SMCCC 1.2 register rules).
	 */
	call	hvc, FID_SMCCC_VERSION
	EXPECT(x0, 0x10002)

	/* Our SiP service: NOT_SUPPORTED means the VMM runs --trace-only */
	call	hvc, DEMO_SIP_REVISION
	mov	x20, #DEMO_MODE_TRACE
	cmn	x0, #1
	b.eq	1f
	mov	x20, #DEMO_MODE_FULL
	EXPECT(x0, DEMO_SIP_REV_MAJOR)
	EXPECT(x1, DEMO_SIP_REV_MINOR)
1:	ldr	x18, =guest_mode
	str	x20, [x18]
	dsb	sy

	say	"vcpu0: up, asking PSCI", __LINE__

	call	smc, PSCI_0_2_FN_PSCI_VERSION
	expect_range x0, 0x10000, 0x1ffff, __LINE__	/* PSCI 1.x */
	ldr	x1, =PSCI_0_2_FN64_CPU_ON
	call	hvc, PSCI_1_0_FN_PSCI_FEATURES
	EXPECT(x0, PSCI_RET_SUCCESS)
	ldr	x1, =DEMO_SIP_SUM			/* not a PSCI function */
	call	smc, PSCI_1_0_FN_PSCI_FEATURES
	EXPECT(x0, SMCCC_RET_NOT_SUPPORTED)
	mov	x1, #DEMO_CPU1_MPIDR
	mov	x2, #0
	call	hvc, PSCI_0_2_FN64_AFFINITY_INFO
	EXPECT(x0, PSCI_0_2_AFFINITY_LEVEL_OFF)

	/* Start vCPU1 at secondary_entry with a context id */
	mov	x1, #DEMO_CPU1_MPIDR
	ldr	x2, =secondary_entry
	ldr	x3, =DEMO_CPU1_CONTEXT_ID
	call	hvc, PSCI_0_2_FN64_CPU_ON
	EXPECT(x0, PSCI_RET_SUCCESS)
	wait_flag cpu1_up, 10, __LINE__
	mov	x1, #DEMO_CPU1_MPIDR
	ldr	x2, =secondary_entry
	ldr	x3, =DEMO_CPU1_CONTEXT_ID
	call	smc, PSCI_0_2_FN64_CPU_ON
	EXPECT(x0, PSCI_RET_ALREADY_ON)

	/* The SiP service, over both conduits: 4 SiP calls with the revision */
	sip_sum	hvc, 0x10, __LINE__
	sip_sum	smc, 0x20, __LINE__
	sip_count hvc, 4, __LINE__

	/* Nobody implements these: NOT_SUPPORTED, whatever the mode */
	mov	x1, #0x42
	call	smc, DEMO_UNKNOWN_OEM
	EXPECT(x0, SMCCC_RET_NOT_SUPPORTED)
	mov	x0, #0
	hvc	#DEMO_UNKNOWN_HVC_IMM
	EXPECT(x0, SMCCC_RET_NOT_SUPPORTED)

	/* Let vCPU1 finish, then wait until PSCI says it is off */
	set_flag cpu1_may_stop
	wait_flag cpu1_done, 10, __LINE__
	bl	deadline_10
	mov	x22, x21
2:	mov	x1, #DEMO_CPU1_MPIDR
	mov	x2, #0
	call	smc, PSCI_0_2_FN64_AFFINITY_INFO
	cmp	x0, #PSCI_0_2_AFFINITY_LEVEL_OFF
	b.eq	3f
	EXPECT(x0, PSCI_0_2_AFFINITY_LEVEL_ON)
	bl	deadline_ms			/* pace the polls: ~1 ms apart */
4:	mrs	x18, cntvct_el0
	cmp	x18, x21
	b.lo	4b
	mrs	x18, cntvct_el0
	cmp	x18, x22
	b.lo	2b
	mov	x3, x0
	mov	x4, #PSCI_0_2_AFFINITY_LEVEL_OFF
	mov	x1, #__LINE__
	b	fail
3:
	say	"vcpu0: vcpu1 is off, all checks passed", __LINE__
	mov	x1, #0
	b	report

secondary_entry:
	/* vCPU1 after CPU_ON: x0 = context id, EL1h, D/A/I/F masked */
	EXPECT(x0, DEMO_CPU1_CONTEXT_ID)
	mrs	x1, CurrentEL
	EXPECT(x1, 0x4)
	mrs	x1, daif
	EXPECT(x1, 0x3c0)
	ldr	x18, =guest_mode
	ldr	x20, [x18]
	set_flag cpu1_up

	say	"vcpu1: up, context id and PSTATE checked", __LINE__
	sip_sum	hvc, 0x30, __LINE__
	sip_sum	smc, 0x40, __LINE__
	sip_count smc, 3, __LINE__

	wait_flag cpu1_may_stop, 10, __LINE__
	set_flag cpu1_done
	call	hvc, PSCI_0_2_FN_CPU_OFF
	/* CPU_OFF returns only on failure */
	mov	x3, x0
	mov	x4, #0
	mov	x1, #__LINE__
	b	fail

/* x1 = guest.S line of the failed check, x3 = got, x4 = expected */
fail:
report:
	ldr	x2, =guest_mode
	ldr	x2, [x2]
	call	hvc, DEMO_SIP_REPORT
	call	smc, PSCI_0_2_FN_SYSTEM_OFF
5:	wfi
	b	5b

/* x21 = counter value \secs seconds (or 1 ms) from now; clobbers x18 */
deadline_10:
	mrs	x18, cntfrq_el0
	cbnz	x18, 1f
	ldr	x18, =62500000			/* CNTFRQ unset: assume 62.5 MHz */
1:	mov	x21, #10
	mul	x21, x18, x21
	b	6f
deadline_ms:
	mrs	x18, cntfrq_el0
	cbnz	x18, 1f
	ldr	x18, =62500000
1:	mov	x21, #1000
	udiv	x21, x18, x21
6:	mrs	x18, cntvct_el0
	add	x21, x21, x18
	ret

	.ltorg

	.balign	8
guest_mode:	.quad	0
cpu1_up:	.quad	0
cpu1_may_stop:	.quad	0
cpu1_done:	.quad	0
