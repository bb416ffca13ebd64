#!/usr/bin/env python3
"""Checks that every relative link in the repository's Markdown files resolves
in a clone: the target file exists inside the repository, and a `#fragment`
into a Markdown file names one of its headings (GitHub's anchors).

Usage: check_links.py REPOSITORY_ROOT
Exit status: 0 pass, 1 fail.
"""

import os
import re
import sys

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
SKIP_DIRS = {".git", "subprojects", "node_modules"}


def markdown_files(root):
    for directory, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith("build")]
        for name in files:
            if name.endswith(".md"):
                yield os.path.join(directory, name)


def without_code(text):
    """The text with fenced blocks and inline code spans blanked out."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            lines.append("")
            continue
        lines.append("" if fenced else re.sub(r"`[^`]*`", "``", line))
    return lines


def anchors(path):
    """GitHub's anchors for the headings of a Markdown file."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    seen, result, fenced = {}, set(), False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if not match:
            continue
        title = re.sub(r"<[^>]+>", "", match.group(2))
        title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
        slug = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else "%s-%d" % (slug, count))
    return result


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    root = os.path.realpath(argv[1])
    failures, checked = [], 0
    for path in sorted(markdown_files(root)):
        with open(path, encoding="utf-8") as f:
            lines = without_code(f.read())
        for number, line in enumerate(lines, 1):
            for target in LINK.findall(line) + HTML_LINK.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
                    continue  # a URL, mailto: and the like
                checked += 1
                file_part, _, fragment = target.partition("#")
                where = "%s:%d: %s" % (os.path.relpath(path, root), number, target)
                resolved = (
                    os.path.realpath(os.path.join(os.path.dirname(path), file_part))
                    if file_part
                    else path
                )
                if os.path.commonpath([root, resolved]) != root:
                    failures.append(where + " (outside the repository)")
                elif not os.path.exists(resolved):
                    failures.append(where + " (no such file)")
                elif fragment and resolved.endswith(".md") and fragment not in anchors(resolved):
                    failures.append(where + " (no such heading)")
    for failure in failures:
        print("broken link: " + failure)
    print("%d links checked, %d broken" % (checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
