#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""plant.py [check|tree|kernel|run] [ID...]: the planted kernel bugs of
kvm.faults (scripts/plant.py's table format), each shown failing the
smccc_filter cases its "fails" lines name. With no step, tree, kernel
and run:

  check   in seconds, no build: every fault applies to build/$PLANT_BASE/linux
          (alone and all together, scripts/plant.py check) and every case
          a "fails" line names is one of the selftest's

  tree    a clone of build/$PLANT_BASE/linux (never that tree) in
          build/planted/$PLANT_BASE/linux, every fault planted: each behind
          kvm_plant=N (a core_param), so one kernel serves them all
  kernel  that tree's Image in build/planted/$PLANT_BASE/kernel (scripts/kernel.sh)
  run     one boot (scripts/boot.sh max): smccc_filter, the series' own
          binary from build/$PLANT_BASE/kernel, under plant.c with N = 0 (no bug:
          must pass) and each fault's N (or the IDs given); every row must
          fail the cases named. The results, in planted-bugs.txt's layout:
          build/planted/$PLANT_BASE/planted-bugs.txt.

Env: PLANT_BASE (default 6.1: the faults are the v2 series'), BUILD.
"""
import os, re, shutil, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, TOP + '/scripts')
import plant  # noqa: E402  (scripts/plant.py)

# the faults are the v2 series', which is 6.1's (not $BASE: the harness sets it)
BASE = os.environ['BASE'] = os.environ.get('PLANT_BASE', '6.1')
BUILD = os.environ.get('BUILD', TOP + '/build')
SRC = '%s/%s/linux' % (BUILD, BASE)
P = '%s/planted/%s' % (BUILD, BASE)
TEST = 'smccc_filter'
# the faults switched at run time need no edit for "no bug"; its row is plant0
SWITCH = 'switch'


def sh(*cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def check(faults):
    n, e = plant.check(SRC, HERE + '/kvm.faults')
    src = open('%s/tools/testing/selftests/kvm/aarch64/%s.c' % (SRC, TEST)).read()
    cases = set(re.findall(r'^\t\{ "([^"]*)"', src, re.M))
    unknown = [(f.id, w) for f in faults for w in f.fails
               if w.partition(': ')[0] != TEST or w.partition(': ')[2] not in cases]
    for fid, w in unknown:
        print('fault %s: "%s" is no case of %s.c' % (fid, w, TEST))
    print('kvm.faults: %d faults (%d edits) apply to %s, alone and all together; '
          '%d "fails" cases, %d unknown' % (n, e, SRC, sum(len(f.fails) for f in faults), len(unknown)))
    return not unknown


def tree(faults):
    t0 = time.time()
    print('==> planted tree: a clone of %s with %d faults in %s' % (SRC, len(faults), P + '/linux'))
    shutil.rmtree(P + '/linux', ignore_errors=True)
    os.makedirs(P, exist_ok=True)
    sh('git', 'clone', '-q', '--shared', SRC, P + '/linux')
    for f in faults:
        plant.plant(f, P + '/linux')
    print('<== planted tree: done in %ds' % (time.time() - t0))


def kernel():
    env = dict(os.environ, BASE_BUILD=P, KOBJ=P + '/kernel')
    sh(TOP + '/scripts/kernel.sh', env=env)


def run(faults):
    rows = [f for f in faults if f.id != SWITCH]
    root = P + '/rootfs'
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root + '/bin')
    os.makedirs(root + '/kvm/aarch64')
    sh('aarch64-linux-gnu-gcc', '-static', '-O2', '-Wall', '-Werror', '-o', root + '/bin/plant', HERE + '/plant.c')
    shutil.copy('%s/%s/kernel/kselftest/kvm/aarch64/%s' % (BUILD, BASE, TEST), root + '/kvm/aarch64/' + TEST)
    with open(P + '/planted.tests', 'w') as t:
        for n in ['0'] + [f.id for f in rows]:
            t.write('plant%-4s 120  /bin/plant %s /kvm/aarch64/%s\n' % (n, n, TEST))
    env = dict(os.environ, SELFTESTS='0', BUILD=P)
    sh(TOP + '/scripts/initramfs.sh', P + '/planted.cpio', P + '/planted.tests', root, env=env)
    env = dict(os.environ, BUILD=P, KOBJ=P + '/kernel')
    subprocess.run([TOP + '/scripts/boot.sh', 'max', P + '/planted.cpio', 'planted'], env=env)

    def notok(n):
        """The test's case lines under plant N (its output is "# "-prefixed)."""
        log = '%s/logs/planted/plant%s.log' % (P, n)
        lines = open(log).read().splitlines() if os.path.exists(log) else []
        lines = [l[2:] for l in lines if l.startswith('# ')]
        return lines, [l for l in lines if l.startswith('not ok ')]
    out = ['Legend (tests/planted/kvm.faults: kernel bugs planted by scripts/plant.py, switched',
           'at run time by the kernel parameter kvm_plant, written by plant.c before running the test):']
    out += ['%3s %s' % (f.id, f.what) for f in rows]
    lines, bad0 = notok(0)
    oks = [l for l in lines if l.startswith('ok ')]
    rev = subprocess.run(['git', '-C', SRC, 'describe', '--always'], capture_output=True, text=True).stdout.strip()
    out += ['', "Run: BASE=%s at %s + kvm.faults, -cpu max, one QEMU boot, the series' own %s binary."
            % (BASE, rev, TEST), 'plant0 = no bug: %d ok, %d not ok' % (len(oks), len(bad0))]
    missed = []		# (fault, a case it should have failed)
    for f in rows:
        _, bad = notok(f.id)
        out += ['', '== plant%s: %d cases not ok' % (f.id, len(bad))] + bad
        names = [re.sub(r'^not ok \d+ - ', '', l) for l in bad]
        missed += [(f.id, w) for w in f.fails
                   if not any(n == w.partition(': ')[2] or n.startswith(w.partition(': ')[2] + ':')
                              for n in names)]
    open(P + '/planted-bugs.txt', 'w').write('\n'.join(out) + '\n')
    for fid, w in missed:
        print('NOT AS PLANTED: plant%s: "%s" did not fail' % (fid, w))
    print('planted: plant0 (no bug) %d ok, %d not ok; %d of %d bugs failed every case named (%s)'
          % (len(oks), len(bad0), len(rows) - len({m[0] for m in missed}), len(rows),
             P + '/planted-bugs.txt'))
    return oks and not bad0 and not missed


def main(argv):
    steps = [a for a in argv if a in ('check', 'tree', 'kernel', 'run')] or ['tree', 'kernel', 'run']
    ids = [a for a in argv if a not in steps]
    faults = plant.load(HERE + '/kvm.faults')
    if 'check' in steps and not check(faults):
        sys.exit(1)
    if 'tree' in steps:
        tree(faults)
    if 'kernel' in steps:
        kernel()
    if 'run' in steps:
        sys.exit(0 if run(plant.select(faults, ids + [SWITCH] if ids else [])) else 1)


if __name__ == '__main__':
    main(sys.argv[1:])
