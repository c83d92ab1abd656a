/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmark VMM (bench.c) and its guest payload (guest.S) agree
 * on. Included by C and by guest.S, so only plain #defines.
 */
#ifndef BENCH_ABI_H
#define BENCH_ABI_H

/* Guest RAM: the payload is loaded at its base, every vCPU starts there. */
#define GUEST_RAM_BASE		0x80000000
#define GUEST_RAM_SIZE		0x10000

/*
 * Unmapped guest-physical page: every access is a KVM_EXIT_MMIO.
 * CMD (8-byte read): the guest asks for its next job, which is also the
 * end of the previous one. The VMM answers (kind << 32) | iterations.
 * DATA (8-byte write): the store of the MMIO scenario.
 * FAIL (8-byte write): a check failed; value = guest.S line, x3 = got,
 * x4 = expected.
 */
#define BENCH_MMIO_BASE		0x10000000
#define BENCH_MMIO_CMD		0x0
#define BENCH_MMIO_DATA		0x8
#define BENCH_MMIO_FAIL		0x10

/* Guest loop kinds, the high word of a CMD answer */
#define LOOP_INKERNEL		1	/* HVC #0, x0 = SMCCC_VERSION */
#define LOOP_SIP_7X4		2	/* HVC #0, SiP call, x1..x7 in, x0..x3 out */
#define LOOP_SIP_X0		3	/* HVC #0, SiP call, no argument, x0 out */
#define LOOP_MMIO		4	/* STR to BENCH_MMIO_DATA */

/*
 * The VMM's SiP calls (SMCCC owner 2, SMC64 fast calls). BENCH_SIP_7X4
 * takes seven arguments and returns four results:
 *   x0 = SUCCESS, x1 = x1 + ... + x7, x2 = x1 ^ x7, x3 = ~x1
 * so a VMM must read all seven and write all four. BENCH_SIP_X0 only
 * returns x0 = SUCCESS.
 */
#define BENCH_SIP_7X4		0xc2000010
#define BENCH_SIP_X0		0xc2000011

#endif
