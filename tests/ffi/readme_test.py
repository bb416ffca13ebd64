#!/usr/bin/env python3
"""Runs the README's commands as a reader would paste them.

The README marks what it expects a reader to type with HTML comments before
fenced blocks:

    <!-- readme-test: file app.c -->      the block is the file app.c
    <!-- readme-test: run source -->     the block runs in the clone
    <!-- readme-test: run app -->        the block runs in the reader's project

This script copies the source tree (what git tracks, as it is in the work
tree) into WORK/source, writes the files into WORK/app, and runs the `run`
blocks in order, each with `bash -euo pipefail`, with HOME=WORK/home so that
a prefix under "$HOME" stays inside WORK. Variables a block exports reach the
blocks after it, as in one shell session. Nothing is rewritten: the blocks run
exactly as the README shows them.

Prints `ok N: FIRST LINE` or `FAIL N: FIRST LINE` per block and closes with
`N passed, M failed`. Usage: readme_test.py ROOT WORK. Exit status: 0 pass,
1 fail, 2 usage.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys

BLOCK = re.compile(r"^<!-- readme-test: (file|run) (\S+) -->\n```[A-Za-z0-9_+-]*\n(.*?)^```$",
                   re.M | re.S)


def copy_source(root, dest):
    """Copies the files git tracks (and new ones it does not ignore)."""
    listed = subprocess.run(
        ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        stdout=subprocess.PIPE, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = os.path.join(root, rel)
        if not os.path.isfile(src):
            continue  # deleted in the work tree
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel))


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, work = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        blocks = BLOCK.findall(f.read())
    runs = [b for b in blocks if b[0] == "run"]
    if not runs:
        print("README.md: no `<!-- readme-test: run ... -->` block")
        return 1

    shutil.rmtree(work, ignore_errors=True)
    dirs = {name: os.path.join(work, name) for name in ("source", "app", "home")}
    for path in dirs.values():
        os.makedirs(path)
    copy_source(root, dirs["source"])
    state = os.path.join(work, "environment.sh")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PKG_CONFIG_PATH", "LD_LIBRARY_PATH", "CMAKE_PREFIX_PATH")}
    env["HOME"] = dirs["home"]
    with open(state, "w", encoding="utf-8") as f:
        f.write("")

    passed = failed = 0
    for n, (kind, where, text) in enumerate(blocks, 1):
        if kind == "file":
            with open(os.path.join(dirs["app"], where), "w", encoding="utf-8") as f:
                f.write(text)
            continue
        if where not in ("source", "app"):
            print("README.md: block %d runs in unknown directory %r" % (n, where))
            failed += 1
            continue
        first = text.strip().splitlines()[0] if text.strip() else "(empty)"
        print("\n== README block %d, in %s:\n%s" % (n, where, text), flush=True)
        script = "set -euo pipefail\nsource %s\ncd %s\n%s\nexport -p > %s\n" % (
            shlex.quote(state), shlex.quote(dirs[where]), text, shlex.quote(state))
        result = subprocess.run(["bash", "-c", script], env=env)
        if result.returncode == 0:
            passed += 1
            print("ok %d: %s" % (n, first))
        else:
            failed += 1
            print("FAIL %d: %s (exit status %d)" % (n, first, result.returncode))
            break  # the blocks after it build on it
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
