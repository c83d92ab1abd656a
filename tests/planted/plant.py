#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""plant.py [check|tree|kernel|run] [ID...]: the planted kernel bugs of the
base's table, kvm-$PLANT_BASE.faults (scripts/plant.py's format), each
shown failing the selftest cases its "fails" lines name. With no step,
tree, kernel and run:

  check   in seconds, no build: every fault applies to build/$PLANT_BASE/linux
          (alone and all together, scripts/plant.py check) and every case
          a "fails" line names is one of that tree's selftests'

  tree    a clone of build/$PLANT_BASE/linux (never that tree) in
          build/planted/$PLANT_BASE/linux, every fault planted: each behind
          kvm_plant=N (a core_param), so one kernel serves them all
  kernel  that tree's Image in build/planted/$PLANT_BASE/kernel (scripts/kernel.sh)
  run     one boot (scripts/boot.sh max) of the series' own selftest binaries
          (build/$PLANT_BASE/kernel/kselftest/kvm), each under plant.c: with
          N = 0 (no bug) every test a "fails" line names, which must pass;
          with each fault's N (or the IDs given) the tests its "fails" lines
          name, whose named cases must fail. The results:
          build/planted/$PLANT_BASE/planted-bugs.txt.

A "fails" line is "TEST: CASE" (a kselftest-harness case of TEST, or a
get-reg-list configuration: fails unless "ok N FIXTURE.CASE" or "CASE:
PASS") or "TEST" (the binary must fail). TEST is a row of
tests/kvm-$PLANT_BASE.tests.

Env: PLANT_BASE (default 6.12: series v3), BUILD.
"""
import os, re, shutil, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, TOP + '/scripts')
import plant  # noqa: E402  (scripts/plant.py)

# one table per base, kvm-$PLANT_BASE.faults (not $BASE: the harness sets it)
BASE = os.environ['BASE'] = os.environ.get('PLANT_BASE', '6.12')
BUILD = os.environ.get('BUILD', TOP + '/build')
SRC = '%s/%s/linux' % (BUILD, BASE)
P = '%s/planted/%s' % (BUILD, BASE)
TABLE = '%s/kvm-%s.faults' % (HERE, BASE)
SELFTESTS = '%s/%s/kernel/kselftest/kvm' % (BUILD, BASE)
# the faults switched at run time need no edit for "no bug"; its rows are p0-*
SWITCH = 'switch'


def sh(*cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def split(fails):
    """'TEST: CASE' -> (TEST, CASE); 'TEST' -> (TEST, '')."""
    test, _, case = fails.partition(': ')
    return test.strip(), case.strip()


def commands():
    """Each row of tests/kvm-$BASE.tests: its binary, relative to /kvm."""
    rows = {}
    for line in open('%s/tests/kvm-%s.tests' % (TOP, BASE)):
        w = line.split()
        if not w or w[0].startswith('#'):
            continue
        cmd = [x for x in w[2:] if '=' not in x and x != 'noskip']
        rows[w[0]] = cmd[0]
    return rows


def tests(faults):
    """The tests the "fails" lines name, in table order."""
    return list(dict.fromkeys(split(w)[0] for f in faults for w in f.fails))


def cases(path):
    """The case names of a selftest's source (kselftest harness, get-reg-list)."""
    src = ''
    for p in ('%s/tools/testing/selftests/kvm/%s.c' % (SRC, path),
              '%s/tools/testing/selftests/kvm/aarch64/%s.c' % (SRC, os.path.basename(path))):
        if os.path.exists(p):
            src += open(p).read()
    names = set(re.findall(r'^(?:KVM_ONE_VCPU_TEST|TEST_F|TEST)\((?:\w+,\s*)?(\w+)', src, re.M))
    names |= set(re.findall(r'\.?name\s*=\s*"([^"]+)"|\{ "([^"]+)"', src) and
                 [n for t in re.findall(r'\.?name\s*=\s*"([^"]+)"|\{ "([^"]+)"', src) for n in t if n])
    return src, names


def check(faults):
    t0 = time.time()
    n, e = plant.check(SRC, TABLE)
    rows, unknown = commands(), []
    for f in faults:
        for w in f.fails:
            test, case = split(w)
            if test not in rows:
                unknown.append((f.id, w, 'no row of tests/kvm-%s.tests' % BASE))
                continue
            src, names = cases(rows[test])
            if case and not all(part in names for part in case.split('+')):
                unknown.append((f.id, w, 'no case of %s' % rows[test]))
    for fid, w, why in unknown:
        print('fault %s: "%s": %s' % (fid, w, why))
    print('kvm-%s.faults: %d faults (%d edits) apply to %s, alone and all together; '
          '%d "fails" cases, %d unknown; %.1fs' % (BASE, n, e, SRC, sum(len(f.fails) for f in faults),
                                                  len(unknown), time.time() - t0))
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


def outcome(row, case):
    """(ran, failed) of CASE in ROW's log ('' : the row itself)."""
    log = '%s/logs/planted/%s.log' % (P, row)
    if not os.path.exists(log):
        return False, True
    lines = open(log).read().splitlines()
    if not case:
        return True, not any(re.match(r'ok \d+ - %s$' % re.escape(row), l) for l in lines)
    out = [l[2:] for l in lines if l.startswith('# ')]
    ok = any(re.match(r'ok \d+ (\S+\.)?%s$' % re.escape(case), l) or l == case + ': PASS' for l in out)
    return True, not ok


def notok(row):
    """The "not ok" case lines of ROW's log, and the row's own line if not ok."""
    log = '%s/logs/planted/%s.log' % (P, row)
    lines = open(log).read().splitlines() if os.path.exists(log) else []
    bad = [l[2:] for l in lines if l.startswith('# not ok ')]
    bad += [l for l in lines if l.startswith('not ok ')]
    return bad or (['no log'] if not lines else [])


def run(faults):
    t0 = time.time()
    rows = [f for f in faults if f.id != SWITCH]
    cmd = commands()
    root = P + '/rootfs'
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root + '/bin')
    sh('aarch64-linux-gnu-gcc', '-static', '-O2', '-Wall', '-Werror', '-o', root + '/bin/plant', HERE + '/plant.c')
    for t in tests(faults):
        os.makedirs(os.path.dirname('%s/kvm/%s' % (root, cmd[t])), exist_ok=True)
        shutil.copy('%s/%s' % (SELFTESTS, cmd[t]), '%s/kvm/%s' % (root, cmd[t]))
    runs = [('0', tests(rows))] + [(f.id, tests([f])) for f in rows]
    with open(P + '/planted.tests', 'w') as tt:
        for n, ts in runs:
            for t in ts:
                tt.write('p%s-%-24s 120  /bin/plant %s /kvm/%s\n' % (n, t, n, cmd[t]))
    env = dict(os.environ, SELFTESTS='0', BUILD=P)
    sh(TOP + '/scripts/initramfs.sh', P + '/planted.cpio', P + '/planted.tests', root, env=env)
    env = dict(os.environ, BUILD=P, KOBJ=P + '/kernel')
    subprocess.run([TOP + '/scripts/boot.sh', 'max', P + '/planted.cpio', 'planted'], env=env)

    rev = subprocess.run(['git', '-C', SRC, 'describe', '--always'], capture_output=True, text=True).stdout.strip()
    out = ['Legend (tests/planted/kvm-%s.faults: kernel bugs planted by scripts/plant.py, switched' % BASE,
           'at run time by the kernel parameter kvm_plant, written by plant.c before running each test):']
    out += ['%3s %s' % (f.id, f.what) for f in rows]
    out += ['', "Run: BASE=%s at %s + kvm-%s.faults, -cpu max, one QEMU boot, the series' own"
            % (BASE, rev, BASE), 'selftest binaries (build/%s/kernel/kselftest/kvm).' % BASE, '',
            '== plant0 (no bug): every test the table names']
    clean_bad = []
    for t in runs[0][1]:
        bad = notok('p0-' + t)
        clean_bad += bad
        out.append('%-16s %s' % (t, 'not ok: ' + '; '.join(bad) if bad else 'ok'))
    missed, ncases = [], 0	# (fault, a "fails" line that did not fail)
    for f in rows:
        out += ['', '== plant%s: %s' % (f.id, f.what)]
        for t in tests([f]):
            out += ['%s: %s' % (t, l) for l in notok('p%s-%s' % (f.id, t))] or ['%s: nothing failed' % t]
        for w in f.fails:
            ncases += 1
            t, case = split(w)
            if not outcome('p%s-%s' % (f.id, t), case)[1]:
                missed.append((f.id, w))
    open(P + '/planted-bugs.txt', 'w').write('\n'.join(out) + '\n')
    for fid, w in missed:
        print('NOT AS PLANTED: plant%s: "%s" did not fail' % (fid, w))
    print('planted: plant0 (no bug) %d tests, %d not ok; %d of %d bugs failed every case named '
          '(%d "fails" cases, %d did not fail); %ds (%s)'
          % (len(runs[0][1]), len(clean_bad), len(rows) - len({m[0] for m in missed}), len(rows),
             ncases, len(missed), time.time() - t0, P + '/planted-bugs.txt'))
    return not clean_bad and not missed


def main(argv):
    steps = [a for a in argv if a in ('check', 'tree', 'kernel', 'run')] or ['tree', 'kernel', 'run']
    ids = [a for a in argv if a not in steps]
    if not os.path.exists(TABLE):
        sys.exit('plant.py: no table of planted bugs for base %s (%s)' % (BASE, TABLE))
    faults = plant.load(TABLE)
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
