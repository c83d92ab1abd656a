#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""plant.py: planted faults, the one way to plant them (a library and a
command). A fault is a change to the sources that some check must catch;
tables of them (*.faults) are their single source:

  tests/planted/kvm-BASE.faults  kernel bugs in the series on BASE (6.12:
                             series v3), each must fail the selftest cases
                             it names (tests/planted/plant.py)
  robust/robust.faults       robust's expectations (and vmm/) turned
                             wrong, each must fail its robust row
                             (robust/plant-faults.py)

A table, line by line ('#' lines and blank lines between faults are
comments):

  fault ID
  what ONE LINE: the fault, as its results will name it
  fails ONE LINE: what must fail (the runner reads it; may repeat)
  edit FILE                 (relative to the tree the table plants into)
  ...the exact text to find, verbatim (tabs and all), one line or more
  to
  ...its replacement, verbatim (no line: the text is removed)
  end
  (more edits)

Each edit's text must occur exactly once in FILE when it is applied, both
to the clean sources (a fault alone, in its own copy) and after the
faults above it in the table (all of them in one tree, e.g. behind a
switch chosen at run time). Adding a fault is adding an entry.

  plant.py check SRC TABLE...    every fault of each TABLE onto a scratch
                                 copy of the files it edits, alone and all
                                 in order; no build. Exit 1 on a stale one.
  plant.py apply TREE TABLE [ID...]  plant (all, in order, or the IDs)
                                 into TREE, which must be a copy
  plant.py list TABLE            ID, what, fails
"""
import os, shutil, sys, tempfile, time


class Fault:
    def __init__(self, fid, where):
        self.id, self.where = fid, where
        self.what, self.fails, self.edits = '', [], []  # edits: (file, find, replace)

    def files(self):
        return sorted({e[0] for e in self.edits})


def load(table):
    """The faults of TABLE, in order."""
    faults, f, block, edit = [], None, None, None
    for n, line in enumerate(open(table).read().split('\n'), 1):
        where = '%s:%d' % (table, n)
        if block is not None:		# inside an edit: verbatim up to 'to' / 'end'
            if line == 'to' and edit[1] is None:
                edit[1], block = '\n'.join(block), []
            elif line == 'end' and edit[1] is not None:
                if not edit[1].strip() or edit[1] == '\n'.join(block):
                    raise SystemExit('%s: the edit of %s finds nothing or changes nothing'
                                     % (where, edit[0]))
                f.edits.append((edit[0], edit[1], '\n'.join(block)))
                block = None
            else:
                block.append(line)
            continue
        if not line.strip() or line.startswith('#'):
            continue
        key, _, val = line.partition(' ')
        if key == 'fault':
            f = Fault(val.strip(), where)
            faults.append(f)
        elif f is None:
            raise SystemExit('%s: "%s" before the first "fault"' % (where, key))
        elif key == 'what':
            f.what = val.strip()
        elif key == 'fails':
            f.fails.append(val.strip())
        elif key == 'edit' and val.strip():
            edit, block = [val.strip(), None], []
        else:
            raise SystemExit('%s: unknown line "%s"' % (where, line))
    if block is not None:
        raise SystemExit('%s: edit of %s has no "end"' % (table, edit[0]))
    ids = [f.id for f in faults]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise SystemExit('%s: fault IDs given twice: %s' % (table, ' '.join(dup)))
    for f in faults:
        if not f.edits or not f.what:
            raise SystemExit('%s: fault %s needs a "what" and an edit' % (f.where, f.id))
    return faults


def plant(fault, tree):
    """Apply FAULT's edits to the files under TREE; SystemExit if one's text
    is not there exactly once."""
    for file, find, repl in fault.edits:
        p = os.path.join(tree, file)
        if not os.path.isfile(p):
            raise SystemExit('fault %s (%s): no file %s in %s' % (fault.id, fault.where, file, tree))
        s = open(p).read()
        n = s.count(find)
        if n != 1:
            first = find.strip().split('\n')[0]
            raise SystemExit('fault %s (%s): the text to find is in %s %d times, not once: "%s"'
                             % (fault.id, fault.where, file, n, first))
        open(p, 'w').write(s.replace(find, repl))


def select(faults, ids):
    """FAULTS with one of IDS (all when IDS is empty), in table order."""
    unknown = set(ids) - {f.id for f in faults}
    if unknown:
        raise SystemExit('no such fault: ' + ' '.join(sorted(unknown)))
    return [f for f in faults if not ids or f.id in ids]


def _copy(src, files, dst):
    shutil.rmtree(dst, ignore_errors=True)
    for file in files:
        if not os.path.isfile(os.path.join(src, file)):
            raise SystemExit('no file %s in %s' % (file, src))
        os.makedirs(os.path.dirname(os.path.join(dst, file)), exist_ok=True)
        shutil.copy(os.path.join(src, file), os.path.join(dst, file))


def check(src, table):
    """Every fault of TABLE onto scratch copies of SRC's files: each alone,
    then all in order. Returns (faults, edits); SystemExit on a stale one."""
    faults = load(table)
    files = sorted({file for f in faults for file in f.files()})
    with tempfile.TemporaryDirectory(prefix='plant-check.') as tmp:
        for f in faults:
            _copy(src, f.files(), tmp + '/alone')
            plant(f, tmp + '/alone')
        _copy(src, files, tmp + '/all')
        for f in faults:
            plant(f, tmp + '/all')
    return len(faults), sum(len(f.edits) for f in faults)


def main(argv):
    if len(argv) >= 3 and argv[0] == 'check':
        t0, src, total = time.time(), argv[1], [0, 0]
        for table in argv[2:]:
            n, e = check(src, table)
            total[0] += n
            total[1] += e
            print('%s: %d faults (%d edits) apply to %s, alone and all together'
                  % (table, n, e, src))
        print('plant check: %d faults, %d edits, in %.1fs' % (total[0], total[1], time.time() - t0))
    elif len(argv) >= 3 and argv[0] == 'apply':
        for f in select(load(argv[2]), argv[3:]):
            plant(f, argv[1])
            print('planted %s: %s' % (f.id, f.what))
    elif len(argv) == 2 and argv[0] == 'list':
        for f in load(argv[1]):
            print('%s\t%s\n\tfails: %s' % (f.id, f.what, '\n\tfails: '.join(f.fails) or '-'))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
