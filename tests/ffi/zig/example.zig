const std = @import("std");
const ehm = @import("ehm");

fn byKey(_: void, a: ehm.Entry, b: ehm.Entry) bool {
    return std.mem.lessThan(u8, a.key, b.key);
}

pub fn main() !void {
    const out = std.io.getStdOut().writer();

    var capitals = try ehm.Map.init(.{});
    defer capitals.deinit();
    try capitals.put("France", "Paris");
    try capitals.put("Japan", "Tokyo");
    try capitals.put("Peru", "Lima");

    // A borrowed slice: valid until the next change of the map.
    if (try capitals.get("Japan")) |city| try out.print("Japan -> {s}\n", .{city});
    try out.print("Chile present: {}\n", .{(try capitals.get("Chile")) != null});
    try out.print("removed France: {}\n", .{try capitals.remove("France")});

    // Iteration order is unspecified; sort for a stable printout.
    var entries: [2]ehm.Entry = undefined;
    var n: usize = 0;
    var it = capitals.iterator();
    while (it.next()) |entry| : (n += 1) entries[n] = entry;
    std.mem.sort(ehm.Entry, entries[0..n], {}, byKey);
    for (entries[0..n]) |entry| try out.print("{s} -> {s}\n", .{ entry.key, entry.value });

    // A batch of lookups in one call; null marks the keys not found.
    var cities: [3]?[]const u8 = undefined;
    const found = try capitals.getMany(&.{ "Peru", "Chile", "Japan" }, &cities);
    try out.print("getMany found {d}: {?s} {?s} {?s}\n", .{ found, cities[0], cities[1], cities[2] });

    // insert adds only absent keys: false, and Peru keeps its value.
    try out.print("Peru added again: {}\n", .{try capitals.insert("Peru", "Cusco")});

    // upsert: the value in place, zeroed when the key is new; here a counter.
    var counts = try ehm.Map.init(.{ .value_size = 8 });
    defer counts.deinit();
    for ([_][]const u8{ "to", "be", "or", "not", "to", "be" }) |word| {
        const count = (try counts.upsert(word)).value[0..8];
        std.mem.writeIntNative(u64, count, std.mem.readIntNative(u64, count) + 1);
    }
    const to = (try counts.get("to")).?;
    try out.print("\"to\" counted {d} times\n", .{std.mem.readIntNative(u64, to[0..8])});

    // Statuses are Zig errors; lastError says why the call just made failed.
    var ids = try ehm.Map.init(.{ .key_size = 4 });
    defer ids.deinit();
    ids.put("toolong", "x") catch |err| {
        try out.print("7-byte key in a 4-byte map: error.{s} ({s})\n", .{ @errorName(err), ehm.describe(err) });
        try out.print("{s}\n", .{ehm.lastError()});
    };
}
