#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
plant-faults.py [max|cortex-a72] [ID...]: show that each check can fail
(README.md, "Each check can fail"). For every fault of robust.faults
(scripts/plant.py's format: file, the text to find, its replacement, the
robust row that must fail; IDs: only those), a copy of robust/ with that
one expectation changed, built against KHDR; all of them packed into one
initramfs with the same rows built from the sources as they are (C1,
C2...), booted once with $KOBJ's Image (scripts/boot.sh). Every fault's
row must be "not ok" (its first FAIL line is printed), every C row "ok".
Not run by make check. Env: KHDR (the series' headers), KOBJ (the
kernel), BUILD (scratch, default /tmp/robust-faults).

A fault in vmm/ or demo/ is planted in the copy's own vmm/ or demo/; a
"fails linux ..." row is the Linux guest (demo/linux built on the copy)
with those arguments. `scripts/plant.py check . robust/robust.faults`
only checks that every fault still applies (no build, no boot).
"""
import os, shutil, subprocess, sys, time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, TOP + '/scripts')
import plant  # noqa: E402  (scripts/plant.py: the table format, planting)

def make_robust(d, khdr, image):
    """robust/ (and vmm/, demo/) in D built."""
    t0 = time.time()
    subprocess.run(['make', '-s', '-C', d + '/robust', 'BUILD=' + d + '/out',
                    'KHDR=' + khdr, 'IMAGE=' + image], check=True)
    print('built %s in %ds' % (d, time.time() - t0))


def row(d, name, args, rootfs):
    """D's binary in ROOTFS as NAME; the tests row that runs it with ARGS."""
    if args.startswith('linux '):
        for g in ('Image', 'linux-initrd.cpio'):
            shutil.copy(d + '/out/rootfs/demo/' + g, rootfs + '/demo/' + g)
        shutil.copy(d + '/out/rootfs/demo/linux', rootfs + '/demo/' + name)
        return '%-6s 600 /demo/%s %s /demo/Image /demo/linux-initrd.cpio\n' % (
            name, name, args[len('linux '):])
    shutil.copy(d + '/out/rootfs/robust/robust', rootfs + '/robust/' + name)
    return '%-6s 120 /robust/%s %s\n' % (name, name, args)


def main():
    cpu = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith('F') else 'max'
    faults = plant.select(plant.load(TOP + '/robust/robust.faults'),
                          [a for a in sys.argv[1:] if a.startswith('F')])
    khdr = os.environ.get('KHDR', TOP + '/build/' + os.environ.get('USER_BASE', '6.12') + '/kernel/usr/include')
    build = os.environ.setdefault('BUILD', '/tmp/robust-faults')
    os.environ.setdefault('KOBJ', TOP + '/build/' + os.environ.get('USER_BASE', '6.12') + '/kernel')
    rootfs = build + '/rootfs'
    shutil.rmtree(rootfs, ignore_errors=True)
    for sub in ('robust', 'etc', 'demo'):
        os.makedirs(rootfs + '/' + sub)
    image = os.environ['KOBJ'] + '/arch/arm64/boot/Image'
    # The control: the sources as they are, one row per row a fault must
    # fail (C1, C2...): each must pass, or the faults show nothing.
    controls = sorted({f.fails[0] for f in faults})
    rows = []
    for f in [None] + faults:
        d = build + '/' + (f.id if f else 'clean')
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        # copies, not links: make -C ../demo resolves ../vmm physically
        for sub in ('robust', 'vmm', 'demo'):
            shutil.copytree(TOP + '/' + sub, d + '/' + sub)
        if f:
            plant.plant(f, d)
        make_robust(d, khdr, image)
        if f:
            rows.append(row(d, f.id, f.fails[0], rootfs))
        else:
            rows += [row(d, 'C%d' % i, args, rootfs) for i, args in enumerate(controls, 1)]
    open(build + '/faults.tests', 'w').write(''.join(rows))
    env = dict(os.environ, SELFTESTS='0')
    subprocess.run([TOP + '/scripts/initramfs.sh', build + '/faults.cpio',
                    build + '/faults.tests', rootfs], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    subprocess.run([TOP + '/scripts/boot.sh', cpu, build + '/faults.cpio', 'faults-' + cpu])
    bad = 0
    for name, f in [('C%d' % i, None) for i in range(1, len(controls) + 1)] + [(f.id, f) for f in faults]:
        log = '%s/logs/faults-%s/%s.log' % (build, cpu, name)
        lines = open(log).read().splitlines() if os.path.exists(log) else []
        fail = [l for l in lines if 'FAIL:' in l]
        failed = any(l.startswith('not ok ') for l in lines)
        passed = any(l.startswith('ok ') for l in lines) and not failed
        if f:
            bad += not failed
            print('%s %s: %s\n    %s' % (name, 'failed as planted' if failed else 'DID NOT FAIL',
                                         f.what, fail[0] if fail else '(no FAIL line)'))
        else:
            bad += not passed
            print('%s %s without a fault: %s' % (name, 'passed' if passed else 'DID NOT PASS',
                                                 controls[int(name[1:]) - 1]))
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
