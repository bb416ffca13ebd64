#!/usr/bin/env python3
"""Keeps a documentation page's example identical to a tested file.

A page marks its example with an HTML comment naming the file it shows,
followed by a fenced code block:

    <!-- example: tests/ffi/c/example.c -->
    ```c
    ...the whole file...
    ```

and may show the program's output the same way, after `<!-- output -->`.
The block must equal the file byte for byte (the file is what the suites
build and run). Given a COMMAND, it is run and its standard output must equal
the output block.

Usage: doc_example.py ROOT DOC [COMMAND...]
Exit status: 0 pass, 1 fail, 2 usage.
"""

import difflib
import os
import re
import subprocess
import sys

FENCED = r"\n```[A-Za-z0-9_+-]*\n(.*?)^```$"
EXAMPLE = re.compile(r"^<!-- example: (\S+) -->" + FENCED, re.M | re.S)
OUTPUT = re.compile(r"^<!-- output -->" + FENCED, re.M | re.S)


def differs(label_a, a, label_b, b):
    """Prints a unified diff; returns True when the texts differ."""
    if a == b:
        return False
    sys.stdout.writelines(difflib.unified_diff(
        a.splitlines(True), b.splitlines(True), label_a, label_b))
    return True


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, doc, command = argv[1], argv[2], argv[3:]
    with open(doc, encoding="utf-8") as f:
        page = f.read()

    examples = EXAMPLE.findall(page)
    if len(examples) != 1:
        print("%s: expected one `<!-- example: PATH -->` block, found %d" % (doc, len(examples)))
        return 1
    path, shown = examples[0]
    with open(os.path.join(root, path), encoding="utf-8") as f:
        tested = f.read()
    failed = differs(path, tested, doc, shown)

    if command:
        outputs = OUTPUT.findall(page)
        if len(outputs) != 1:
            print("%s: expected one `<!-- output -->` block, found %d" % (doc, len(outputs)))
            return 1
        result = subprocess.run(command, stdout=subprocess.PIPE, universal_newlines=True)
        if result.returncode != 0:
            print("%s exited with status %d" % (" ".join(command), result.returncode))
            failed = True
        failed |= differs("output shown in " + doc, outputs[0], "output of " + path,
                          result.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
