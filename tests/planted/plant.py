#!/usr/bin/env python3
# plant.py TREE: add kvm_plant=N (core_param, runtime-writable) planted bugs
import sys, re
T = sys.argv[1]
def edit(path, old, new, count=1):
    p = T + '/' + path
    s = open(p).read()
    if old not in s:
        print("plant.py: SKIPPED, not found in %s:\n%s" % (path, old)); return
    s = s.replace(old, new, count)
    open(p, 'w').write(s)

H = 'arch/arm64/kvm/hypercalls.c'
# the switch
edit(H, '#include <kvm/arm_hypercalls.h>\n',
     '#include <kvm/arm_hypercalls.h>\n#include <linux/moduleparam.h>\n\n'
     'int kvm_plant;\ncore_param(kvm_plant, kvm_plant, int, 0644);\n')
edit('include/kvm/arm_hypercalls.h', 'void __kvm_smccc_complete_exit(struct kvm_vcpu *vcpu);\n',
     'void __kvm_smccc_complete_exit(struct kvm_vcpu *vcpu);\nextern int kvm_plant;\n')
# 1: completion skipped; 7: width from run flags; 10: keyed on exit_reason
edit(H, '''	u64 *regs = vcpu->run->hypercall.smccc.regs;
	int i;

	if (vcpu_get_flag(vcpu, HYPERCALL_EXIT_AARCH32)) {''',
'''	u64 *regs = vcpu->run->hypercall.smccc.regs;
	int i;

	if (kvm_plant == 1 ||
	    (kvm_plant == 10 && vcpu->run->exit_reason != KVM_EXIT_HYPERCALL)) {
		kvm_smccc_drop_exit(vcpu);
		return;
	}
	if (kvm_plant == 7 ? !!(vcpu->run->hypercall.smccc.flags & KVM_HYPERCALL_SMCCC_AARCH32) :
	    vcpu_get_flag(vcpu, HYPERCALL_EXIT_AARCH32)) {''')
# 3: nr is the whole x0; 9: 16BIT inverted
edit(H, '''		.nr	= func_id,
		.flags	= flags,
	};''', '''		.nr	= kvm_plant == 3 ? vcpu_get_reg(vcpu, 0) : func_id,
		.flags	= kvm_plant == 9 ? flags ^ KVM_HYPERCALL_EXIT_16BIT : flags,
	};''')
# 4: filter range one too long
edit(H, '	end = start + filter.nr_functions - 1;\n',
     '	end = start + filter.nr_functions - (kvm_plant == 4 ? 0 : 1);\n')
# 5: handled ranges one too long
edit(H, '				*range = first | (id - 1) << 32;',
     '				*range = first | (id - (kvm_plant == 5 ? 0 : 1)) << 32;')
# 8: HVC #imm with a PSCI ID bypasses PSCI_TO_USER (v1's bug)
edit(H, '''		if (smc)
			return KVM_SMCCC_FILTER_DENY;
	}''', '''		if (smc)
			return KVM_SMCCC_FILTER_DENY;
		if (kvm_plant == 8 && kvm_smccc_is_psci_call(func_id))
			return KVM_SMCCC_FILTER_HANDLE;
	}''')
# 11: our registers listed for every VM
edit(H, '''	return test_bit(KVM_ARCH_FLAG_SMCCC_REGS_LISTED, &kvm->arch.flags);''',
'''	return kvm_plant == 11 || test_bit(KVM_ARCH_FLAG_SMCCC_REGS_LISTED, &kvm->arch.flags);''')
# 2: no completion before KVM_SET_ONE_REG / KVM_SET_MP_STATE (only at KVM_RUN)
A = 'arch/arm64/kvm/arm.c'
edit(A, '''		if (ioctl == KVM_SET_ONE_REG) {
			kvm_smccc_complete_exit(vcpu);''', '''		if (ioctl == KVM_SET_ONE_REG) {
			if (kvm_plant != 2)
				kvm_smccc_complete_exit(vcpu);''')
edit(A, '''	int ret = 0;

	kvm_smccc_complete_exit(vcpu);

	spin_lock(&vcpu->arch.mp_state_lock);''', '''	int ret = 0;

	if (kvm_plant != 2)
		kvm_smccc_complete_exit(vcpu);

	spin_lock(&vcpu->arch.mp_state_lock);''')
# 6: reset keeps a pending exit
edit('arch/arm64/kvm/reset.c', '''	kvm_smccc_drop_exit(vcpu);

	mutex_lock''', '''	if (kvm_plant != 6)
		kvm_smccc_drop_exit(vcpu);

	mutex_lock''')
print('planted 1-11')
# 12: the SMCCC_VERSION register does not reach the guest
edit(H, '		val[0] = READ_ONCE(vcpu->kvm->arch.smccc_version);',
     '		val[0] = kvm_plant == 12 ? ARM_SMCCC_VERSION_1_1 : READ_ONCE(vcpu->kvm->arch.smccc_version);')
print('planted 12')
# 13: no completion before KVM_SET_VCPU_EVENTS
edit(A, '''		kvm_smccc_complete_exit(vcpu);
		return kvm_arm_vcpu_set_events(vcpu, &events);''', '''		if (kvm_plant != 13)
			kvm_smccc_complete_exit(vcpu);
		return kvm_arm_vcpu_set_events(vcpu, &events);''')
# 14: our capabilities change after the first run
edit(H, '''	mutex_lock(&kvm->arch.config_lock);

	if (kvm_vm_has_ran_once(kvm)) {
		r = -EBUSY;
		goto out_unlock;
	}

	switch (cap->cap) {''', '''	mutex_lock(&kvm->arch.config_lock);

	if (kvm_plant != 14 && kvm_vm_has_ran_once(kvm)) {
		r = -EBUSY;
		goto out_unlock;
	}

	switch (cap->cap) {''')
print('planted 13-14')
# 15: SMCCC_VERSION accepts any value
edit(H, '	if (val != ARM_SMCCC_VERSION_1_1 && val != ARM_SMCCC_VERSION_1_2)\n		return -EINVAL;',
     '	if (kvm_plant != 15 && val != ARM_SMCCC_VERSION_1_1 && val != ARM_SMCCC_VERSION_1_2)\n		return -EINVAL;')
# 16: catch-all accepts unknown conduit bits
edit(H, '		if (cap->args[0] & ~mask) {', '		if (kvm_plant != 16 && (cap->args[0] & ~mask)) {')
# 17: a HANDLE filter range acts as DENY
edit(H, '''			if (xa_to_value(entry) != KVM_SMCCC_FILTER_HANDLE)''',
'''			if (kvm_plant == 17)
				return KVM_SMCCC_FILTER_DENY;
			if (xa_to_value(entry) != KVM_SMCCC_FILTER_HANDLE)''')
# 18: SMC #imm, conduit not caught: an SMCCC call like HVC #imm
edit(H, '''		if (smc)
			return KVM_SMCCC_FILTER_DENY;
		if (kvm_plant == 8''', '''		if (smc && kvm_plant != 18)
			return KVM_SMCCC_FILTER_DENY;
		if (kvm_plant == 8''')
# 19: AArch32 exit gives r0-r17 instead of r0-r7 and zeros
edit(H, '''		for (i = 0; i < 8; i++)
			regs[i] = lower_32_bits(vcpu_get_reg(vcpu, i));''', '''		for (i = 0; i < (kvm_plant == 19 ? 18 : 8); i++)
			regs[i] = lower_32_bits(vcpu_get_reg(vcpu, i));''')
# 20: T32 callers get KVM_HYPERCALL_EXIT_16BIT
edit(H, '	if (!kvm_vcpu_trap_il_is32bit(vcpu))\n',
     '	if (!kvm_vcpu_trap_il_is32bit(vcpu) || (kvm_plant == 20 && vcpu_mode_is_32bit(vcpu) &&\n'
     '						 (*vcpu_cpsr(vcpu) & PSR_AA32_T_BIT)))\n')
# 21: TRNG bitmap bit ignored (always enabled); 29: TRNG never implemented
edit(H, '''	case ARM_SMCCC_TRNG_RND64:
		return test_bit(KVM_REG_ARM_STD_BIT_TRNG_V1_0,
				&smccc_feat->std_bmap);''', '''	case ARM_SMCCC_TRNG_RND64:
		if (kvm_plant == 21 || kvm_plant == 29)
			return kvm_plant == 21;
		return test_bit(KVM_REG_ARM_STD_BIT_TRNG_V1_0,
				&smccc_feat->std_bmap);''')
# 22: KVM_HAS_DEVICE_ATTR denies the filter
edit(H, '''	case KVM_ARM_VM_SMCCC_FILTER:
		return 0;
	default:
		return -ENXIO;''', '''	case KVM_ARM_VM_SMCCC_FILTER:
		return kvm_plant == 22 ? -ENXIO : 0;
	default:
		return -ENXIO;''')
# 23: KVM_CHECK_EXTENSION(HYPERCALL_TO_USER) returns 1
edit(A, '		r = KVM_ARM_HYPERCALL_HVC | KVM_ARM_HYPERCALL_SMC;',
     '		r = kvm_plant == 23 ? 1 : KVM_ARM_HYPERCALL_HVC | KVM_ARM_HYPERCALL_SMC;')
# 24: filter padding not checked
edit(H, '	if (memchr_inv(filter.pad, 0, sizeof(filter.pad)))',
     '	if (kvm_plant != 24 && memchr_inv(filter.pad, 0, sizeof(filter.pad)))')
# 25: unimplemented calls exit without the catch-all
edit(H, '	return to_user ? KVM_SMCCC_FILTER_FWD_TO_USER : KVM_SMCCC_FILTER_DENY;',
     '	return (to_user || kvm_plant == 25) ? KVM_SMCCC_FILTER_FWD_TO_USER : KVM_SMCCC_FILTER_DENY;')
# 26: SMCCC_VERSION defaults to 1.2
edit(H, '	kvm->arch.smccc_version = ARM_SMCCC_VERSION_1_1;',
     '	kvm->arch.smccc_version = kvm_plant == 26 ? ARM_SMCCC_VERSION_1_2 : ARM_SMCCC_VERSION_1_1;')
# 27: SMCCC_VERSION changes after the first run
edit(H, '	if (kvm_vm_has_ran_once(kvm) && val != kvm->arch.smccc_version) {',
     '	if (kvm_plant != 27 && kvm_vm_has_ran_once(kvm) && val != kvm->arch.smccc_version) {')
print('planted 15-29')
# The same plants, for kvm_smccc_get_action() as of 2eb8af8e3
if 'kvm_smccc_call_is_smc(vcpu))\n\t\t\treturn KVM_SMCCC_FILTER_DENY;' in open(T + '/' + H).read():
    edit(H, '''		if (kvm_smccc_call_is_smc(vcpu))
			return KVM_SMCCC_FILTER_DENY;
	}''', '''		if (kvm_smccc_call_is_smc(vcpu) && kvm_plant != 18)
			return KVM_SMCCC_FILTER_DENY;
		if (kvm_plant == 8 && kvm_smccc_is_psci_call(func_id))
			return KVM_SMCCC_FILTER_HANDLE;
	}''')
    edit(H, '''	return kvm_smccc_to_user(kvm, vcpu) ? KVM_SMCCC_FILTER_FWD_TO_USER :''',
            '''	return (kvm_smccc_to_user(kvm, vcpu) || (vcpu && kvm_plant == 25)) ? KVM_SMCCC_FILTER_FWD_TO_USER :''')
    print('planted 8, 18, 25 (2eb8af8e3)')
