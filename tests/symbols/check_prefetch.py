#!/usr/bin/env python3
"""Checks that the built libehm still issues the prefetches it relies on.

A compiler may drop a prefetch whose address nothing else uses (GCC 12
deletes such __builtin_prefetch calls), which no functional test notices and
which shows only as lost speed. This reads the disassembly of the library and
fails when one of the paths below holds no prefetch instruction:

- the batched lookup (ehm_get_many) requests each key's home group, and then
  the slot and next-level group the home record points to;
- the rebuild requests each entry's first-choice group ahead of placing it;
- a lookup that walks beyond its first probes requests the first group of
  the next whole level its mask names before it starts the walks.

Usage: check_prefetch.py LIBRARY
Exit status: 0 pass, 1 fail, 77 skip (not x86-64, or no objdump).
"""

import platform
import re
import shutil
import subprocess
import sys

# (what, pattern a function's demangled name matches)
REQUIRED = [
    ("ehm_get_many's batch", re.compile(r"EntryPaths<.*>::get_many\(")),
    ("the rebuild loop", re.compile(r"rebuild\(")),
    ("the walks beyond the first probes", re.compile(r"Table::search_walks<")),
]
PREFETCH = re.compile(r"\bprefetch(t0|t1|t2|nta|w)?\b")
FUNCTION = re.compile(r"^[0-9a-f]+ <(.*)>:$")


def functions_with_prefetch(library):
    """Returns {demangled function name: whether its code holds a prefetch}."""
    result = subprocess.run(
        ["objdump", "-d", "-C", "--no-show-raw-insn", library],
        check=False,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
    )
    if result.returncode != 0:
        raise RuntimeError("objdump failed on %s: %s" % (library, result.stderr.strip()))
    found = {}
    current = None
    for line in result.stdout.splitlines():
        match = FUNCTION.match(line)
        if match:
            current = match.group(1)
            found.setdefault(current, False)
        elif current is not None and PREFETCH.search(line):
            found[current] = True
    return found


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    if platform.machine() not in ("x86_64", "AMD64") or shutil.which("objdump") is None:
        print("skip: needs objdump on x86-64")
        return 77
    functions = functions_with_prefetch(argv[1])
    failed = 0
    for what, pattern in REQUIRED:
        matching = [name for name in functions if pattern.search(name)]
        with_prefetch = [name for name in matching if functions[name]]
        if not matching:
            print("FAIL: no function for %s (%s) in %s" % (what, pattern.pattern, argv[1]))
            failed += 1
        elif not with_prefetch:
            print("FAIL: %s lost its prefetch: %d functions, none with one" % (what, len(matching)))
            failed += 1
        else:
            print("ok: %s: prefetch in %d of %d functions" % (what, len(with_prefetch), len(matching)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
