#!/usr/bin/env python3
"""Checks the dynamic symbol table of the shared libehm.

Fails when the library exports anything whose name does not start with
`ehm_` (version-node entries such as EHM_1.0 are not symbols and are
skipped), or when a function declared EHM_API in the public header is
missing from the exports.

Usage: check_symbols.py LIBRARY HEADER
Exit status: 0 pass, 1 fail, 77 skip (no `nm` available).
"""

import re
import shutil
import subprocess
import sys

VERSION_NODE = re.compile(r"^[A-Z][A-Z0-9_]*_[0-9]+(\.[0-9]+)*$")
DECLARATION = re.compile(r"\bEHM_API\b[^;{]*?\b(ehm_[A-Za-z0-9_]+)\s*\(", re.S)


def exported_symbols(library):
    """Returns {name: type} for the defined dynamic symbols of `library`."""
    result = subprocess.run(
        ["nm", "-D", "--defined-only", library],
        check=False,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
    )
    if result.returncode != 0:
        raise RuntimeError("nm failed on %s: %s" % (library, result.stderr.strip()))
    symbols = {}
    for line in result.stdout.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        # "ADDRESS TYPE NAME", or "TYPE NAME" when the address is missing.
        sym_type, name = fields[-2], fields[-1]
        name = name.split("@", 1)[0]
        if sym_type == "A" and VERSION_NODE.match(name):
            continue
        symbols[name] = sym_type
    return symbols


def declared_functions(header):
    with open(header, encoding="utf-8") as f:
        text = f.read()
    # Comments could mention EHM_API in prose; they are not declarations.
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    # The macro's own definition lines are not declarations either.
    text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)
    return sorted(set(DECLARATION.findall(text)))


def main(argv):
    if len(argv) != 3:
        print("usage: check_symbols.py LIBRARY HEADER", file=sys.stderr)
        return 2
    library, header = argv[1], argv[2]
    if shutil.which("nm") is None:
        print("nm not found; skipping", file=sys.stderr)
        return 77

    try:
        symbols = exported_symbols(library)
    except (OSError, RuntimeError) as err:
        print(err, file=sys.stderr)
        return 1
    declared = declared_functions(header)

    failures = []
    if not declared:
        failures.append("no EHM_API declarations found in %s" % header)
    if not symbols:
        failures.append("%s exports no symbols" % library)

    foreign = sorted(name for name in symbols if not name.startswith("ehm_"))
    for name in foreign:
        failures.append("exported symbol without the ehm_ prefix: %s (%s)" % (name, symbols[name]))

    for name in declared:
        sym_type = symbols.get(name)
        if sym_type is None:
            failures.append("declared EHM_API but not exported: %s" % name)
        elif sym_type not in ("T", "W", "i"):
            failures.append("%s is exported as type %s, not as a function" % (name, sym_type))

    if failures:
        for line in failures:
            print(line, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
