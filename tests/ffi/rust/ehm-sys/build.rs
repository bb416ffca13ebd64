//! Finds the installed libehm through pkg-config, the way a C program would,
//! and tells cargo where to link it from. The ABI is stable within a major
//! version and only grows, so any 1.x from the 1.2 these declarations
//! describe will do; 2.x is refused.

use std::env;
use std::process::Command;

const REQUIRED_MAJOR: u32 = 1;
const MINIMUM_MINOR: u32 = 2;

fn pkg_config(args: &[&str]) -> String {
    let tool = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_string());
    let output = Command::new(&tool)
        .args(args)
        .arg("ehm")
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {}", tool, err));
    if !output.status.success() {
        panic!(
            "`{} {} ehm` failed: is libehm installed and PKG_CONFIG_PATH set?\n{}",
            tool,
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8(output.stdout).expect("pkg-config printed non-UTF-8 output")
}

fn main() {
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG");

    let version = pkg_config(&["--modversion"]);
    let mut numbers = version.trim().split('.').map(|n| n.parse::<u32>().unwrap_or(0));
    let (major, minor) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    if major != REQUIRED_MAJOR || minor < MINIMUM_MINOR {
        panic!(
            "libehm {} found; these bindings need {}.{} or a later {}.x",
            version.trim(),
            REQUIRED_MAJOR,
            MINIMUM_MINOR,
            REQUIRED_MAJOR
        );
    }

    for flag in pkg_config(&["--libs"]).split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={}", dir);
        } else if let Some(name) = flag.strip_prefix("-l") {
            println!("cargo:rustc-link-lib={}", name);
        }
    }
    let include = pkg_config(&["--variable=includedir"]);
    println!("cargo:include={}", include.trim());
}
