/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit loop: run, then hand the exit to the program's handler for its
 * kind (kvmtool's kvm_cpu__start/kvm_cpu__handle_exit). Inline, so that a
 * program passing a constant struct vcpu_ops gets its handlers inlined into
 * the loop: no indirect call per exit. Included by vmm.h.
 */
#ifndef VMM_EXIT_H
#define VMM_EXIT_H

#include <errno.h>

static inline __attribute__((always_inline))
bool vcpu__handle_exit(struct vcpu *v, const struct vcpu_ops *ops)
{
	struct kvm_run *run = v->run;
	struct vmm_hypercall hc;

	switch (run->exit_reason) {
	case KVM_EXIT_HYPERCALL:
		if (!ops->hypercall || !smccc__exit(v, &hc) || !ops->hypercall(v, &hc))
			return false;
		smccc__answer(v, &hc);
		return true;
	case KVM_EXIT_MMIO:
		return ops->mmio && ops->mmio(v, run->mmio.phys_addr, run->mmio.data,
					      run->mmio.len, run->mmio.is_write);
	case KVM_EXIT_SYSTEM_EVENT:
		return ops->system_event && ops->system_event(v, run->system_event.type);
	default:
		return ops->other && ops->other(v);
	}
}

static inline __attribute__((always_inline))
bool vcpu__loop(struct vcpu *v, const struct vcpu_ops *ops)
{
	for (;;) {
		if (ops->keep_running ? !ops->keep_running(v) : vm__stopping(v->vm))
			return true;
		if (ops->before_run)
			ops->before_run(v);
		if (vcpu__run(v) == -EINTR)
			continue;	/* kicked: look at the requests again */
		if (!vcpu__handle_exit(v, ops))
			return false;
	}
}

#endif
