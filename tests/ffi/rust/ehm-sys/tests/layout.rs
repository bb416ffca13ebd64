//! The hand-written declarations against the C compiler's view of the
//! installed header: `layout_probe.c` is compiled with
//! `cc $(pkg-config --cflags ehm)` and prints every struct's size, alignment
//! and field offsets and every constant; the same table is computed here from
//! the Rust declarations, and the two must be identical, entry for entry.

use ehm_sys::*;
use std::collections::BTreeMap;
use std::env;
use std::mem::{align_of, size_of, MaybeUninit};
use std::path::PathBuf;
use std::process::Command;

fn size_of_pointee<T>(_: *const T) -> usize {
    size_of::<T>()
}

// (offset, size) of a field; only addresses are formed, nothing is read.
macro_rules! field_layout {
    ($t:ty, $f:ident) => {{
        let probe = MaybeUninit::<$t>::uninit();
        let base = probe.as_ptr();
        let field = unsafe { std::ptr::addr_of!((*base).$f) };
        (field as usize - base as usize, size_of_pointee(field))
    }};
}

fn rust_layout() -> BTreeMap<String, String> {
    let mut table = BTreeMap::new();
    let mut add = |key: String, value: String| {
        assert!(table.insert(key.clone(), value).is_none(), "{} listed twice", key);
    };
    macro_rules! structure {
        ($t:ident: $($f:ident),+) => {
            add(format!("size {}", stringify!($t)), size_of::<$t>().to_string());
            add(format!("align {}", stringify!($t)), align_of::<$t>().to_string());
            $(
                let (offset, size) = field_layout!($t, $f);
                add(format!("offset {}.{}", stringify!($t), stringify!($f)), offset.to_string());
                add(format!("size {}.{}", stringify!($t), stringify!($f)), size.to_string());
            )+
        };
    }
    macro_rules! constants {
        ($($c:ident),+) => { $( add(format!("const {}", stringify!($c)), ($c as i64).to_string()); )+ };
    }
    structure!(ehm_allocator: alloc, free, ctx);
    structure!(ehm_config: struct_size, flags, capacity, delta, seed, key_size, value_size, allocator);
    structure!(ehm_stats: struct_size, levels, size, capacity, tombstones, memory_bytes,
        probe_width, insert_probes_total, insert_probes_max, inserts, rebuilds);
    // Minor and patch releases keep the ABI, so only the major must agree;
    // library_version_is_at_least_these_declarations covers the rest.
    constants!(EHM_VERSION_MAJOR);
    constants!(EHM_OK, EHM_NOTFOUND, EHM_EINVAL, EHM_ENOMEM, EHM_ERANGE, EHM_ETOOBIG);
    constants!(EHM_EVERSION, EHM_ITEROVER, EHM_EXISTS);
    constants!(EHM_FLAG_FIXED_SEED, EHM_FLAG_NO_HUGE_PAGES);
    add("double EHM_DEFAULT_DELTA".to_string(), EHM_DEFAULT_DELTA.to_string());
    table
}

fn command_output(command: &mut Command) -> String {
    let output = command.output().unwrap_or_else(|e| panic!("cannot run {:?}: {}", command, e));
    assert!(
        output.status.success(),
        "{:?} failed:\n{}",
        command,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("non-UTF-8 output")
}

fn c_layout() -> BTreeMap<String, String> {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/layout_probe.c");
    let probe = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ehm_layout_probe");
    let pkg_config = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_string());
    let cflags = command_output(Command::new(pkg_config).args(["--cflags", "ehm"]));
    let cc = env::var("CC").unwrap_or_else(|_| "cc".to_string());
    command_output(
        Command::new(cc)
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-o"])
            .arg(&probe)
            .arg(&source)
            .args(cflags.split_whitespace()),
    );
    let mut table = BTreeMap::new();
    for line in command_output(&mut Command::new(&probe)).lines() {
        let (key, value) = line.rsplit_once(' ').expect("a `KIND NAME VALUE` line");
        table.insert(key.to_string(), value.to_string());
    }
    table
}

#[test]
fn structs_and_constants_match_the_c_header() {
    let c = c_layout();
    let rust = rust_layout();
    let mut mismatches = Vec::new();
    for key in c.keys().chain(rust.keys().filter(|k| !c.contains_key(*k))) {
        let (c_value, rust_value) = (c.get(key), rust.get(key));
        let same = match (c_value, rust_value) {
            (Some(a), Some(b)) if key.starts_with("double ") => {
                a.parse::<f64>().ok() == b.parse::<f64>().ok()
            }
            (a, b) => a == b,
        };
        if !same {
            mismatches.push(format!("{}: C {:?}, Rust {:?}", key, c_value, rust_value));
        }
    }
    assert!(mismatches.is_empty(), "layout mismatches:\n{}", mismatches.join("\n"));
    assert!(c.len() > 40, "the probe reported only {} entries", c.len());
}

#[test]
fn library_fills_the_rust_config_it_is_given() {
    let mut cfg = MaybeUninit::<ehm_config>::uninit();
    let cfg = unsafe {
        ehm_config_init(cfg.as_mut_ptr());
        cfg.assume_init()
    };
    assert_eq!(cfg.struct_size as usize, size_of::<ehm_config>());
    assert_eq!(cfg.delta, EHM_DEFAULT_DELTA);
    assert!(cfg.allocator.is_null());
}

#[test]
fn library_version_is_at_least_these_declarations() {
    let version = unsafe { ehm_version() };
    assert_eq!(version / 10000, EHM_VERSION_MAJOR);
    assert!(version >= EHM_VERSION_NUMBER);
}
