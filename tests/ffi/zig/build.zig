//! Builds the Zig binding of the installed libehm: `zig build test` runs its
//! tests, `zig build example` runs the example of docs/zig.md. libehm and its
//! header come from pkg-config (PKG_CONFIG_PATH), as for any system library.
const std = @import("std");

pub fn build(b: *std.Build) void {
    const target = b.standardTargetOptions(.{});
    const optimize = b.standardOptimizeOption(.{});
    const ehm = b.addModule("ehm", .{ .source_file = .{ .path = "src/ehm.zig" } });

    const tests = b.addTest(.{
        .root_source_file = .{ .path = "src/tests.zig" },
        .target = target,
        .optimize = optimize,
    });
    useEhm(tests, ehm);
    b.step("test", "Run the binding's tests").dependOn(&alwaysRun(b, tests).step);

    const example = b.addExecutable(.{
        .name = "example",
        .root_source_file = .{ .path = "example.zig" },
        .target = target,
        .optimize = optimize,
    });
    useEhm(example, ehm);
    b.step("example", "Run the example").dependOn(&alwaysRun(b, example).step);
}

// A run that is never skipped as cached: the library under test can change
// without anything zig tracks changing.
fn alwaysRun(b: *std.Build, artifact: *std.Build.Step.Compile) *std.Build.Step.Run {
    const run = b.addRunArtifact(artifact);
    run.has_side_effects = true;
    return run;
}

fn useEhm(artifact: *std.Build.Step.Compile, ehm: *std.Build.Module) void {
    artifact.addModule("ehm", ehm);
    artifact.linkLibC();
    artifact.linkSystemLibrary("ehm");
}
