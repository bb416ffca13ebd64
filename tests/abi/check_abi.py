#!/usr/bin/env python3
"""Guards libehm's ABI against the committed baseline of its major version.

The baseline (libehm.abi) is abidw's description of the 1.0 shared library:
exported functions, their signatures and the public structs, read from the
library's debug info and limited to what include/ehm declares. A newer
library is compatible when:

  * abidiff finds no change other than added functions (policy.suppr), and
  * every public struct keeps the baseline's fields, offsets and types; only
    a struct that carries its own size (first field `struct_size`) may grow,
    and only at its tail.

abidiff alone cannot express the second rule: its type suppressions hide
every change to a matching struct, not just tail growth. So the structs are
compared here, and a current struct that grew correctly is cut back to the
baseline's shape before abidiff sees it.

Added functions must also come with a version node of their own.

Usage:
  check_abi.py dump     LIBRARY HEADERS_DIR OUT        write a baseline
  check_abi.py check    LIBRARY HEADERS_DIR BASELINE   compare with it
  check_abi.py selftest BASELINE
      compares altered copies of the baseline, standing for an older and a
      newer library, to show that the check fails on a removed function, a
      changed field, a changed SONAME, a grown struct that does not carry its
      size and a function added under an old version node, and passes tail
      growth and a function added under a new node
Exit status: 0 pass, 1 fail, 2 usage.
"""

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
POLICY = os.path.join(HERE, "policy.suppr")

# Only what the public header declares and the library exports, without
# build paths, so that the baseline does not change with the core's internals
# or with where the tree was built.
ABIDW_OPTIONS = [
    "--exported-interfaces-only",
    "--drop-private-types",
    "--no-corpus-path",
    "--no-comp-dir-path",
    "--no-show-locs",
    "--no-elf-needed",
    "--type-id-style",
    "hash",
]


def dump(library, headers_dir, out):
    subprocess.run(
        ["abidw", *ABIDW_OPTIONS, "--headers-dir", headers_dir, "--out-file", out, library],
        check=True,
    )


# ---- the struct rule ---------------------------------------------------------


def type_names(root):
    """Returns a function naming a type id the way C spells it, roughly."""
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}

    def name(type_id):
        el = by_id.get(type_id)
        if el is None:
            return "?" + str(type_id)
        if el.tag == "pointer-type-def":
            return name(el.get("type-id")) + "*"
        if el.tag == "qualified-type-def":
            return ("const " if el.get("const") == "yes" else "") + name(el.get("type-id"))
        if el.tag == "function-type":
            params = [name(p.get("type-id")) for p in el.findall("parameter")]
            ret = el.find("return")
            return "%s(%s)" % (name(ret.get("type-id")) if ret is not None else "?",
                               ", ".join(params))
        return el.get("name") or el.tag

    return name


def public_structs(root):
    return {
        el.get("name"): el
        for el in root.iter("class-decl")
        if el.get("is-struct") == "yes"
        and el.get("is-declaration-only") != "yes"
        and el.get("name", "").startswith("ehm_")
    }


def fields(struct, name_of):
    out = []
    for member in struct.findall("data-member"):
        var = member.find("var-decl")
        out.append((var.get("name"), member.get("layout-offset-in-bits"),
                    name_of(var.get("type-id"))))
    return out


def check_structs(baseline, current, note):
    """Compares the public structs; cuts a validly grown current struct back
    to its baseline shape (in `current`). Returns the problems found and
    passes each compatible change to `note`."""
    problems = []
    base_name, cur_name = type_names(baseline), type_names(current)
    cur_structs = public_structs(current)
    for name, base in sorted(public_structs(baseline).items()):
        cur = cur_structs.get(name)
        if cur is None:
            problems.append("struct %s is gone" % name)
            continue
        base_fields, cur_fields = fields(base, base_name), fields(cur, cur_name)
        if cur_fields[:len(base_fields)] != base_fields:
            problems.append("struct %s changed its fields:\n  was %s\n  now %s"
                            % (name, base_fields, cur_fields))
            continue
        base_size, cur_size = int(base.get("size-in-bits")), int(cur.get("size-in-bits"))
        if cur_size == base_size and len(cur_fields) == len(base_fields):
            continue
        if base_fields[0][0] != "struct_size":
            problems.append("struct %s grew (%d -> %d bits) but does not carry its size"
                            % (name, base_size, cur_size))
        elif cur_size < base_size:
            problems.append("struct %s shrank (%d -> %d bits)" % (name, base_size, cur_size))
        else:
            note("struct %s grew at its tail by %s"
                 % (name, [f[0] for f in cur_fields[len(base_fields):]]))
        for member in cur.findall("data-member")[len(base_fields):]:
            cur.remove(member)
        cur.set("size-in-bits", str(base_size))
    return problems


# ---- the whole check ---------------------------------------------------------


def exported_functions(root):
    """Returns {name: version node} of the exported symbols."""
    return {el.get("name"): el.get("version") for el in root.iter("elf-symbol")}


def check_added(baseline, current, note):
    """New functions are compatible in a version node of their own: a program
    using them then refuses to load against an older library instead of
    failing at its first call. Returns the problems found."""
    problems = []
    old, new = exported_functions(baseline), exported_functions(current)
    old_nodes = set(old.values())
    for name in sorted(set(new) - set(old)):
        if new[name] in old_nodes:
            problems.append("function %s was added under the existing version node %s; "
                            "give new functions a new node in capi/ehm.map" % (name, new[name]))
        else:
            note("function %s added (version node %s)" % (name, new[name]))
    return problems


def print_compatible(change):
    print("compatible: %s" % change)


def ignore(_):
    pass


def compare(baseline_path, current_path, workdir, note=print_compatible):
    """Returns the problems of the current ABI against the baseline and
    passes each compatible change to `note`."""
    baseline = ET.parse(baseline_path).getroot()
    current_tree = ET.parse(current_path)
    current = current_tree.getroot()
    problems = check_structs(baseline, current, note) + check_added(baseline, current, note)
    projected = os.path.join(workdir, "projected.abi")
    current_tree.write(projected, encoding="unicode")

    result = subprocess.run(
        ["abidiff", "--suppressions", POLICY, baseline_path, projected],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
    )
    if result.returncode != 0:
        problems.append("abidiff exit status %d (4: ABI change, 8: incompatible change):\n%s"
                        % (result.returncode, result.stdout.rstrip()))
    return problems


def check(library, headers_dir, baseline):
    with tempfile.TemporaryDirectory() as workdir:
        current = os.path.join(workdir, "current.abi")
        dump(library, headers_dir, current)
        return compare(baseline, current, workdir)


# ---- self-test: the guard must be able to fail -------------------------------


def rename_function(root, old, new):
    for el in root.iter():
        for attr in ("name", "mangled-name", "elf-symbol-id"):
            if el.get(attr):
                el.set(attr, el.get(attr).replace(old, new))


def drop_function(name):
    """A baseline from before `name` was added."""
    def mutate(root):
        for parent in list(root.iter()):
            for child in list(parent):
                if child.tag in ("elf-symbol", "function-decl") and child.get("name") == name:
                    parent.remove(child)
    return mutate


def move_to_node(name, node):
    """A library exporting `name` under version node `node`."""
    def mutate(root):
        for el in root.iter("elf-symbol"):
            if el.get("name") == name:
                el.set("version", node)
        for el in root.iter("function-decl"):
            if el.get("name") == name:
                el.set("elf-symbol-id", "%s@@%s" % (name, node))
    return mutate


def drop_last_field(struct_name):
    """A baseline from before `struct_name` gained its last field."""
    def mutate(root):
        struct = public_structs(root)[struct_name]
        last = struct.findall("data-member")[-1]
        struct.remove(last)
        struct.set("size-in-bits", last.get("layout-offset-in-bits"))
    return mutate


def retype_field(struct_name, field, from_field):
    def mutate(root):
        members = {m.find("var-decl").get("name"): m.find("var-decl")
                   for m in public_structs(root)[struct_name].findall("data-member")}
        members[field].set("type-id", members[from_field].get("type-id"))
    return mutate


def set_soname(root):
    root.set("soname", root.get("soname") + ".0")


unchanged = ignore


# Each case alters two copies of the baseline, one standing for an older
# library and one for a newer: (what the newer did, alter the older, alter
# the newer, whether the check must pass).
SELF_TESTS = [
    ("removed a function", lambda root: rename_function(root, "ehm_clear", "ehm_clearx"),
     unchanged, False),
    ("changed a field's type", retype_field("ehm_config", "seed", "delta"), unchanged, False),
    ("changed its SONAME", set_soname, unchanged, False),
    ("grew a struct without struct_size", drop_last_field("ehm_allocator"), unchanged, False),
    ("added a function under an old version node", drop_function("ehm_clear"), unchanged,
     False),
    ("grew a sized struct at its tail", drop_last_field("ehm_stats"), unchanged, True),
    ("added a function under a new version node", drop_function("ehm_clear"),
     move_to_node("ehm_clear", "EHM_1.1"), True),
]


def altered_copy(baseline, alter, path):
    tree = ET.parse(baseline)
    alter(tree.getroot())
    tree.write(path, encoding="unicode")
    return path


def selftest(baseline):
    problems = []
    with tempfile.TemporaryDirectory() as workdir:
        for what, alter_older, alter_newer, must_pass in SELF_TESTS:
            older = altered_copy(baseline, alter_older, os.path.join(workdir, "older.abi"))
            newer = altered_copy(baseline, alter_newer, os.path.join(workdir, "newer.abi"))
            print("-- self-test: a library that %s" % what)
            found = compare(older, newer, workdir, note=ignore)
            for problem in found:
                print("   caught: %s" % problem.splitlines()[0])
            passed = not found
            if passed != must_pass:
                problems.append("self-test '%s': the check %s, expected it to %s"
                                % (what, "passed" if passed else "failed",
                                   "pass" if must_pass else "fail"))
    return problems


def main(argv):
    mode = argv[1] if len(argv) > 1 else None
    if (mode, len(argv)) not in (("dump", 5), ("check", 5), ("selftest", 3)):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        if mode == "dump":
            dump(*argv[2:])
            return 0
        problems = check(*argv[2:]) if mode == "check" else selftest(argv[2])
    except (OSError, subprocess.CalledProcessError, ET.ParseError) as err:
        print("check_abi: %s" % err, file=sys.stderr)
        return 1
    for problem in problems:
        print("ABI problem: %s" % problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
