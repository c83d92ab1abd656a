#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
plant-faults.py [max|cortex-a72]: show that each v2 check can fail
(README.md, "Each check can fail"). For every fault below: a copy of robust/
with one expectation changed, built against KHDR; all of them packed into
one initramfs, booted once with $KOBJ's Image (scripts/boot.sh). Every row
must be "not ok"; the first FAIL line of each is printed. Not run by make
check. Env: KHDR (the series' headers), KOBJ (the kernel), BUILD (scratch,
default /tmp/robust-faults).
"""
import os, shutil, subprocess, sys

# (id, file, text in the file, its replacement, robust arguments, what it shows)
FAULTS = [
    ('F1', 'model.c',
     '\t\tif (smc)\n\t\t\tSTEP(1, M_DENY);',
     '\t\tif (1)\n\t\t\tSTEP(1, M_DENY);',
     'random -n 3000 -a 2000',
     "random: model says an HVC with an immediate is NOT_SUPPORTED without the catch-all (v1's PSCI bypass the other way round)"),
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
    ('F4', 'complete.c',
     '\tcheck_completed(s, v, &at_exit, idx, "after CPU_ON and KVM_RUN");',
     '\tcheck_completed(s, v, &at_exit, idx, "after CPU_ON and KVM_RUN");\n\tCHECK(vcpu__get_reg(v, REG_X(0)) == 0xeeeeeeeeeeeeeeeeull, "CPU_ON: x0 0x%llx (expected as on v1: the stale exit\'s x0 0xeeeeeeeeeeeeeeee)", (unsigned long long)vcpu__get_reg(v, REG_X(0)));',
     'complete',
     "complete: CPU_ON expects v1's result (the pending exit's registers copied over the VMM's x0 at the next KVM_RUN)"),
    ('F5', 'complete.c',
     '\tvcpu__set_reg(v, REG_X(20), 0x2020);\n\tat_exit.val[SNAP_X(20)] = 0x2020;\n\tcheck_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0, x5, x20");',
     '\tvcpu__set_reg(v, REG_X(20), 0x2020);\n\tat_exit.val[SNAP_X(20)] = 0x2020;\n\ts->calls[idx].in[5] = 0xdead00000005dead;\n\tcheck_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0, x5, x20");',
     'complete',
     "complete: KVM_SET_ONE_REG x5 expects the run struct's x5 to win over the VMM's write (completion after the write)"),
    ('F6', 'badinput.c',
     '\t\t\texpect_filter(EEXIST, r[i][0], r[i][1], a);\n\t\t}',
     '\t\t\texpect_filter(EINVAL, r[i][0], r[i][1], a);\n\t\t}',
     'badinput',
     "badinput B12: overlap expected -EINVAL instead of upstream's -EEXIST"),
    ('F7', 'badinput.c',
     '\tfilter_both(&vm, &base, DENY_BASE, 0x10, KVM_SMCCC_FILTER_DENY);',
     '\tvm_filter(&vm, DENY_BASE, 0x10, KVM_SMCCC_FILTER_DENY);',
     'badinput',
     'badinput: a filter range the model does not know (as if a refused one had been installed) is seen by the ranges check'),
    ('F8', 'badinput.c',
     '\texpect_reg(EBUSY, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, V1_2);',
     '\texpect_reg(0, p->v, KVM_SET_ONE_REG, KVM_REG_ARM_FW_SMCCC_VERSION, V1_2);',
     'badinput',
     'badinput B5: SMCCC_VERSION changed after the run expected to succeed'),
    ('F9', 'badinput.c',
     '\t\tCHECK(!count_ours(v, 0), "a VM that did not opt in lists our registers");',
     '\t\tCHECK(count_ours(v, 0), "a VM that did not opt in lists our registers");',
     'badinput',
     'badinput B19: registers expected in the list without opt-in'),
    ('F10', 'script.c',
     '\tuint32_t flags = (smc ? VMM_HC_SMC : 0) | (s->a32 ? VMM_HC_AARCH32 : 0) |\n\t\t\t (imm ? VMM_HC_IMM : 0);',
     '\tuint32_t flags = (smc ? VMM_HC_SMC : 0) | (s->a32 ? VMM_HC_AARCH32 : 0);',
     'random -n 3000 -a 2000',
     "script: the exit's IMM flag not expected"),
    ('F11', 'complete.c',
     '\tvcpu__set_mp_state(v, KVM_MP_STATE_RUNNABLE);\n\tcheck_completed(s, v, &at_exit, idx, "after KVM_SET_MP_STATE");',
     '\tvcpu__set_mp_state(v, KVM_MP_STATE_RUNNABLE);\n\tsnap_at_exit(s, v, idx, &at_exit);',
     'complete',
     'complete: KVM_SET_MP_STATE expected to leave the exit pending (x0-x17 still the arguments)'),
    ('F12', 'complete.c',
     '\tcheck_completed(s, v, &at_exit, idx, "after KVM_SET_ONE_REG x0-x3 (upstream\'s way)");',
     '\tsnap_at_exit(s, v, idx, &at_exit);',
     'complete',
     "complete: upstream's way expected to be overwritten by the pending exit (the run struct's arguments copied after KVM_SET_ONE_REG)"),
    ('F13', 'stress.c',
     '\t\t\t\tfor (int j = 0; j < 4; j++)\n\t\t\t\t\tvcpu__set_reg(s->v, REG_X(j), regs[j]);\n',
     '',
     'stress -n 2000 -m 4',
     'stress: the VMM scribbles the run struct after an exit it did not complete (as on a kernel where KVM_SET_ONE_REG does not complete the pending exit)'),
]

def main():
    cpu = sys.argv[1] if len(sys.argv) > 1 else 'max'
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    khdr = os.environ.get('KHDR', top + '/build/' + os.environ.get('USER_BASE', '6.1') + '/kernel/usr/include')
    build = os.environ.setdefault('BUILD', '/tmp/robust-faults')
    os.environ.setdefault('KOBJ', top + '/build/' + os.environ.get('USER_BASE', '6.1') + '/kernel')
    rootfs = build + '/rootfs'
    shutil.rmtree(rootfs, ignore_errors=True)
    os.makedirs(rootfs + '/robust')
    os.makedirs(rootfs + '/etc')
    rows = []
    for fid, f, old, new, args, what in FAULTS:
        d = build + '/' + fid
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        shutil.copytree(top + '/robust', d + '/robust')
        os.symlink(top + '/vmm', d + '/vmm')
        p = d + '/robust/' + f
        s = open(p).read()
        if s.count(old) != 1:
            sys.exit('%s: the text to change is in %s %d times' % (fid, f, s.count(old)))
        open(p, 'w').write(s.replace(old, new))
        subprocess.run(['make', '-s', '-C', d + '/robust', 'BUILD=' + d + '/out',
                        'KHDR=' + khdr], check=True)
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
