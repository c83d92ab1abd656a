/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What stress.c and its guest (guest_stress.S) agree on. Included by C and
 * by the assembler: plain #defines only.
 */
#ifndef ROBUST_ABI_H
#define ROBUST_ABI_H

#define STRESS_GPA		0x80000000
#define STRESS_RAM		0x10000

/* Forwarded calls (SiP, fast, SMC64): nobody in the kernel implements them */
#define STRESS_FID		0xc2000020	/* x1 vcpu, x2 seq, x3 arg, x4-x17 pattern */
#define STRESS_REPORT		0xc2000021	/* the guest's totals, see stress.c */

/* The four ways the guest makes a forwarded call, by seq & 3 */
#define STRESS_IMM_HVC		0x5a5		/* kind 2: hvc #STRESS_IMM_HVC */
#define STRESS_IMM_SMC		0x3c3		/* kind 3: smc #STRESS_IMM_SMC */

/* Result in x1: (arg * STRESS_MUL) ^ seq << 16 ^ vcpu << 8 ^ kind */
#define STRESS_MUL		0x9e3779b97f4a7c15
/* The guest's argument stream: arg = arg * LCG_MUL + LCG_INC, per vCPU */
#define STRESS_LCG_MUL		6364136223846793005
#define STRESS_LCG_INC		1442695040888963407
#define STRESS_LCG_SEED		0x0123456789abcdef

#endif
