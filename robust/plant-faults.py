#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
plant-faults.py [max|cortex-a72]: show that each check can fail
(README.md, "Each check can fail"). For every fault below: a copy of robust/
with one expectation changed, built against KHDR; all of them packed into
one initramfs, booted once with $KOBJ's Image (scripts/boot.sh). Every row
must be "not ok"; the first FAIL line of each is printed. Not run by make
check. Env: KHDR (the series' headers), KOBJ (the kernel), BUILD (scratch,
default /tmp/robust-faults).

A fault in ../vmm/ or ../demo/ is planted in the copy's own vmm/ or demo/;
args "linux ..." make the row the Linux guest (demo/linux built on the
copy) with those arguments.
"""
import os, shutil, subprocess, sys

# (id, file, text in the file, its replacement, robust arguments, what it shows)
FAULTS = [
    ('F1', 'model.c',
     '\t\tif (smc)\n\t\t\tSTEP(1, M_NOT_SMCCC);',
     '\t\tif (1)\n\t\t\tSTEP(1, M_NOT_SMCCC);',
     'random -n 3000 -a 2000',
     "random: model says an HVC with an immediate is NOT_SUPPORTED without the catch-all, like an SMC"),
    ('F2', 'model.c',
     '\tif (base <= 0x8000ffffu && last >= 0x80000000u)\n\t\treturn -EEXIST;',
     '',
     'random -n 3000 -a 2000',
     'random: model lets a filter range cover the SMC32 Arm Architecture range'),
    ('F3', 'model.c',
     '\t\t\t\tr[nr] = (struct smccc_range){ first, b[i] - 1 };',
     '\t\t\t\tr[nr] = (struct smccc_range){ first, b[i] };',
     'random -n 3000 -a 2000',
     "random: model's handled ranges end one ID later"),
    ('F4', 'model.c',
     '\t\tif (err)\n\t\t\treturn err;',
     '',
     'badinput',
     'v3 B27: model takes PSCI_TO_USER for a rule of its own (v2), not filter ranges: enabling it over an overlapping range expected to succeed'),
    ('F5', 'model.c',
     '\tc->x0_only = act == M_NOT_SMCCC;',
     '\tc->x0_only = false;',
     'badinput',
     "v3: an SMC with an immediate expected to get v2's NOT_SUPPORTED answer (x1-x3 0), not x0 only"),
    ('F6', 'complete.c',
     '\tcheck_completed(s, v, &at_exit, idx, "after CPU_ON and KVM_RUN");',
     '\tcheck_completed(s, v, &at_exit, idx, "after CPU_ON and KVM_RUN");\n\tCHECK(reg(v, REG_X(0)) == 0xeeeeeeeeeeeeeeeeull, "CPU_ON: x0 0x%llx (expected as on v1: the stale exit\'s x0 0xeeeeeeeeeeeeeeee)", (unsigned long long)reg(v, REG_X(0)));',
     'complete',
     "complete: CPU_ON expects v1's result (the scribbled s.regs loaded over the VMM's x0 at the next KVM_RUN)"),
    ('F7', 'complete.c',
     '\trun_immediate(v, "KVM_SET_ONE_REG with the bit set");',
     '\tat_exit.val[SNAP_X(20)] = 0x2020;\n\trun_immediate(v, "KVM_SET_ONE_REG with the bit set");',
     'complete',
     'v3 complete: KVM_SET_ONE_REG x20 with the bit set expected to survive the next KVM_RUN (it loads s.regs over it)'),
    ('F8', 'complete.c',
     '\tcheck_pending(v, &at_exit, idx, "KVM_SET_MP_STATE with the bit set");',
     '\tcheck_completed(s, v, &at_exit, idx, "KVM_SET_MP_STATE with the bit set");',
     'complete',
     "v3 complete: KVM_SET_MP_STATE expected to load s.regs (v2's completion rule)"),
    ('F9', 'complete.c',
     '\tsnap_at_exit(s, v, idx, &at_exit);\n\tscribble(v);\n\tfor (int j = 0; j < 4; j++)\n\t\tCHECK(!reg_set(v, REG_X(j), answer32(s, idx, j)), "KVM_SET_ONE_REG x%d", j);',
     '\tsnap_at_exit(s, v, idx, &at_exit);\n\tmemset(sync_regs(v), 0xee, sizeof(struct user_pt_regs));\n\tfor (int j = 0; j < 4; j++)\n\t\tCHECK(!reg_set(v, REG_X(j), answer32(s, idx, j)), "KVM_SET_ONE_REG x%d", j);',
     'complete',
     'v3 complete: the VMM answers upstream\'s way but leaves KVM_SYNC_ARM64_REGS set: the garbage in s.regs is loaded'),
    ('F10', 'complete.c',
     '\tcheck_completed(s, v, &at_exit, idx, "after KVM_ARM_VCPU_INIT with the bit set and KVM_RUN");',
     '\tfor (int j = 0; j < 4; j++)\n\t\tCHECK(!reg(v, REG_X(j)), "after KVM_ARM_VCPU_INIT with the bit set and KVM_RUN: x%d 0x%llx (expected: dropped by the reset)", j, (unsigned long long)reg(v, REG_X(j)));',
     'complete',
     'v3 complete: a reset expected to drop the dirty bit (it is userspace\'s: the next KVM_RUN loads s.regs)'),
    ('F11', 'main.c',
     '\t\tuint64_t got = i < 31 ? sr->regs[i] : i == 31 ? sr->sp : i == 32 ? sr->pc : sr->pstate;',
     '\t\tuint64_t got = i < 31 ? sr->regs[i] : i == 31 ? sr->sp : i == 32 ? sr->pc - 4 : sr->pstate;',
     'complete',
     'v3 script: s.regs.regs.pc expected at the HVC/SMC, not past it (KVM_GET_ONE_REG says past)'),
    ('F12', 'script.c',
     '\tuint32_t flags = (smc ? VMM_HC_SMC : 0) | (s->a32 && !s->upstream ? VMM_HC_AARCH32 : 0) |\n\t\t\t (imm ? VMM_HC_IMM : 0);',
     '\tuint32_t flags = (smc ? VMM_HC_SMC : 0) | (s->a32 && !s->upstream ? VMM_HC_AARCH32 : 0);',
     'random -n 3000 -a 2000',
     "script: KVM_ARM64_HYPERCALL_IMM not expected in s.regs.hypercall.flags"),
    ('F13', 'badinput.c',
     '\tsync_bits(p, SYNC_SETS, KVM_SYNC_ARM64_HYPERCALL, ok_pstate);',
     '\tp->v->run->kvm_dirty_regs = KVM_SYNC_ARM64_HYPERCALL;\n\tCHECK(vcpu_try_run(p->v, true) == -EINTR, "KVM_RUN with KVM_SYNC_ARM64_HYPERCALL in kvm_dirty_regs refused (expected: accepted)");',
     'badinput',
     'v3 B26: the read-only KVM_SYNC_ARM64_HYPERCALL in kvm_dirty_regs expected to be accepted'),
    ('F14', 'badinput.c',
     '\texpect_reg(EBUSY, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, SMCCC_VERSION_1_1);',
     '\texpect_reg(0, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, SMCCC_VERSION_1_1);',
     'badinput',
     "v3 B5: SMCCC_VERSION written with its own value after the first run expected to succeed (v2's rule)"),
    ('F15', 'badinput.c',
     '\t\texpect_reg(EINVAL, p->v, KVM_SET_ONE_REG, id, val);',
     '\t\texpect_reg(0, p->v, KVM_SET_ONE_REG, id, val);',
     'badinput',
     "v3 B15: a handled-range register written with its own value expected to succeed (v2's rule)"),
    ('F16', 'badinput.c',
     '\t\tCHECK(!count_ours(v), "a VM that did not opt in lists our registers");',
     '\t\tCHECK(count_ours(v), "a VM that did not opt in lists our registers");',
     'badinput',
     'B19: the series\' registers expected in the list without opt-in'),
    ('F17', 'badinput.c',
     '\tfilter_both(&vm, &base, DENY_BASE, 0x10, KVM_SMCCC_FILTER_DENY);',
     '\tvm_filter(&vm, DENY_BASE, 0x10, KVM_SMCCC_FILTER_DENY);',
     'badinput',
     'badinput: a filter range the model does not know (as if a refused one had been installed) is seen by the ranges check'),
    ('F19', '../vmm/psci.c',
     '\tpthread_mutex_lock(&psci_lock);\n\tif (cpu[t->id].power == PWR_ON) {',
     '\tpthread_mutex_lock(&psci_lock);\n\tstatic int planted;\n\tif (++planted % 25 == 0) {\n\t\tpthread_mutex_unlock(&psci_lock);\n\t\treturn PSCI_RET_SUCCESS;\n\t}\n\tif (cpu[t->id].power == PWR_ON) {',
     'linux --psci-conduit hvc --reboots 2 --storms 5',
     'v3 linux-storm: the VMM loses every 25th CPU_ON (SUCCESS, the vCPU never started): a lost vCPU'),
    ('F18', 'stress.c',
     '\t\t\t\trun->kvm_dirty_regs = 0;\n',
     '',
     'stress -n 2000 -m 4',
     'v3 stress: the VMM answers upstream\'s way but leaves KVM_SYNC_ARM64_REGS set, then scribbles s.regs: the garbage is loaded'),
]

def main():
    cpu = sys.argv[1] if len(sys.argv) > 1 else 'max'
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    khdr = os.environ.get('KHDR', top + '/build/' + os.environ.get('USER_BASE', '6.12') + '/kernel/usr/include')
    build = os.environ.setdefault('BUILD', '/tmp/robust-faults')
    os.environ.setdefault('KOBJ', top + '/build/' + os.environ.get('USER_BASE', '6.12') + '/kernel')
    rootfs = build + '/rootfs'
    shutil.rmtree(rootfs, ignore_errors=True)
    os.makedirs(rootfs + '/robust')
    os.makedirs(rootfs + '/etc')
    os.makedirs(rootfs + '/demo')
    image = os.environ['KOBJ'] + '/arch/arm64/boot/Image'
    rows = []
    for fid, f, old, new, args, what in FAULTS:
        d = build + '/' + fid
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        shutil.copytree(top + '/robust', d + '/robust')
        # copies, not links: make -C ../demo resolves ../vmm physically
        for sub in ('vmm', 'demo'):
            shutil.copytree(top + '/' + sub, d + '/' + sub)
        p = d + '/robust/' + f
        s = open(p).read()
        if s.count(old) != 1:
            sys.exit('%s: the text to change is in %s %d times' % (fid, f, s.count(old)))
        open(p, 'w').write(s.replace(old, new))
        subprocess.run(['make', '-s', '-C', d + '/robust', 'BUILD=' + d + '/out',
                        'KHDR=' + khdr, 'IMAGE=' + image], check=True)
        if args.startswith('linux '):
            for g in ('Image', 'linux-initrd.cpio'):
                shutil.copy(d + '/out/rootfs/demo/' + g, rootfs + '/demo/' + g)
            shutil.copy(d + '/out/rootfs/demo/linux', rootfs + '/demo/' + fid)
            rows.append('%-6s 600 /demo/%s %s /demo/Image /demo/linux-initrd.cpio\n'
                        % (fid, fid, args[len('linux '):]))
            continue
        shutil.copy(d + '/out/rootfs/robust/robust', rootfs + '/robust/' + fid)
        rows.append('%-6s 120 /robust/%s %s\n' % (fid, fid, args))
    open(build + '/faults.tests', 'w').write(''.join(rows))
    env = dict(os.environ, SELFTESTS='0')
    subprocess.run([top + '/scripts/initramfs.sh', build + '/faults.cpio',
                    build + '/faults.tests', rootfs], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    subprocess.run([top + '/scripts/boot.sh', cpu, build + '/faults.cpio', 'faults-' + cpu])
    bad = 0
    for fid, f, old, new, args, what in FAULTS:
        log = '%s/logs/faults-%s/%s.log' % (build, cpu, fid)
        lines = open(log).read().splitlines() if os.path.exists(log) else []
        fail = [l for l in lines if 'FAIL:' in l]
        ok = any(l.startswith('not ok ') for l in lines)
        bad += not ok
        print('%s %s: %s\n    %s' % (fid, 'failed as planted' if ok else 'DID NOT FAIL',
                                     what, fail[0] if fail else '(no FAIL line)'))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
