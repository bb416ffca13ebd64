#!/usr/bin/env python3
"""Writes the complete example of a Markdown page (the one ```cpp block
defining main) to a source file, so the documented program is built and run
by the test suite: extract_example.py PAGE.md OUT.cpp"""
import re
import sys


def main():
    page, out = sys.argv[1], sys.argv[2]
    with open(page, encoding="utf-8") as f:
        blocks = re.findall(r"^```cpp\n(.*?)^```$", f.read(), re.M | re.S)
    programs = [b for b in blocks if re.search(r"^int main\(", b, re.M)]
    if len(programs) != 1:
        sys.exit(f"{page}: expected one ```cpp block with main(), found {len(programs)}")
    with open(out, "w", encoding="utf-8") as f:
        f.write(programs[0])


if __name__ == "__main__":
    main()
