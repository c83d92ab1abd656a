/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What robust/ffa.c (the VMM) and ffa_guest.c (its payload) agree on.
 * Plain #defines; the FF-A numbers are ../vmm/smccc-ids.h's.
 */
#ifndef ROBUST_FFA_ABI_H
#define ROBUST_FFA_ABI_H

/* Guest RAM: the payload at its base, its stack below 1 MiB, RX/TX above */
#define FFA_GUEST_RAM_BASE	0x80000000
#define FFA_GUEST_RAM_SIZE	0x200000
#define FFA_GUEST_STACK_TOP	(FFA_GUEST_RAM_BASE + 0x100000)
#define FFA_GUEST_TX		(FFA_GUEST_RAM_BASE + 0x180000)
#define FFA_GUEST_RX		(FFA_GUEST_RAM_BASE + 0x181000)

/* The endpoints: the guest's ID and the VMM's partition with its UUID (w1..w4) */
#define FFA_GUEST_VM_ID		0x0001
#define FFA_GUEST_PART_ID	0x8001
#define FFA_GUEST_UUID_W0	0xe6474c71
#define FFA_GUEST_UUID_W1	0xe14c0e1e
#define FFA_GUEST_UUID_W2	0x9383aca3
#define FFA_GUEST_UUID_W3	0xb782aeab

/*
 * The payload's reports (SiP, SMC64): one per case, x1 = case number,
 * x2 = 1 pass / 0 fail, x3 = got, x4 = expected, x5 = address of its name
 * (NUL-terminated, in guest RAM); then DONE, x1 = cases, x2 = failures.
 */
#define FFA_GUEST_CHECK		0xc2000010
#define FFA_GUEST_DONE		0xc2000011
/* x1 = 1: the calls that follow are answered without a trace line each; 0: traced again */
#define FFA_GUEST_QUIET		0xc2000012

/* Random calls thrown at the service */
#define FFA_GUEST_RANDOM_CALLS	3000

#endif
