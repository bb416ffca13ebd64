//! Zig binding of libehm, the elastic-hashing hash map with a stable C ABI,
//! over `@cImport` of the installed `ehm/ehm.h`.
//!
//! Keys and values are byte slices; the map copies what it is given. `get`
//! and the iterator return slices borrowed from the map: they stay valid until
//! the next call that changes it (`put`, `insert`, `upsert`, `remove`, `clear`,
//! `deinit`), exactly the C rule. `getCopy` copies into a caller's buffer
//! instead.
//!
//! Statuses are errors of the set `Error`; `lastError()` says why the
//! calling thread's most recent call failed (ehm_last_error), e.g.
//! "ehm_put: key_len is 3 but the map's key_size is 4".
const std = @import("std");

/// The raw C declarations, for calls this module does not wrap.
pub const c = @cImport(@cInclude("ehm/ehm.h"));

/// One error per libehm status code other than success.
pub const Error = error{
    NotFound,
    InvalidArgument,
    OutOfMemory,
    BufferTooSmall,
    TooBig,
    Version,
    IterationOver,
    UnknownStatus,
};

/// The error of a negative status.
pub fn errorOf(status: c_int) Error {
    return switch (status) {
        c.EHM_NOTFOUND => error.NotFound,
        c.EHM_EINVAL => error.InvalidArgument,
        c.EHM_ENOMEM => error.OutOfMemory,
        c.EHM_ERANGE => error.BufferTooSmall,
        c.EHM_ETOOBIG => error.TooBig,
        c.EHM_EVERSION => error.Version,
        c.EHM_ITEROVER => error.IterationOver,
        else => error.UnknownStatus,
    };
}

/// The C status of an error. UnknownStatus stands for every status this
/// module does not know; it maps to one that ehm_strerror calls unknown.
pub fn statusOf(err: Error) c_int {
    return switch (err) {
        error.NotFound => c.EHM_NOTFOUND,
        error.InvalidArgument => c.EHM_EINVAL,
        error.OutOfMemory => c.EHM_ENOMEM,
        error.BufferTooSmall => c.EHM_ERANGE,
        error.TooBig => c.EHM_ETOOBIG,
        error.Version => c.EHM_EVERSION,
        error.IterationOver => c.EHM_ITEROVER,
        error.UnknownStatus => std.math.minInt(c_int),
    };
}

/// The library's description of an error, from ehm_strerror.
pub fn describe(err: Error) []const u8 {
    return std.mem.span(c.ehm_strerror(statusOf(err)));
}

/// Why this thread's most recent libehm call failed (ehm_last_error), naming
/// the argument and the expected and given values: read it right after the
/// call that returned the error, on the same thread. "" when that call did
/// not fail, or ended in an outcome (a miss, a present key). The library owns
/// the text until this thread's next libehm call (`describe` and `version`
/// keep it): copy it to keep it.
pub fn lastError() []const u8 {
    return std.mem.span(c.ehm_last_error());
}

fn check(status: c_int) Error!void {
    if (status < 0) return errorOf(status);
}

/// The library's version, e.g. "1.0.0".
pub fn version() []const u8 {
    return std.mem.span(c.ehm_version_string());
}

/// A (pointer, length) view from the C side as a slice; an empty blob's
/// pointer may be NULL, which a slice may not hold.
fn view(data: ?*const anyopaque, len: usize) []const u8 {
    if (len == 0) return "";
    const bytes: [*]const u8 = @ptrCast(data.?);
    return bytes[0..len];
}

pub const Config = struct {
    /// Entries held before the first growth; 0 = a small default.
    capacity: u64 = 0,
    /// The free fraction kept before the table grows, 0 < delta < 1.
    delta: f64 = c.EHM_DEFAULT_DELTA,
    /// A fixed hash seed for reproducible layouts; null draws a random one.
    seed: ?u64 = null,
    /// 0 = variable-length keys; N > 0 = every key is N bytes.
    key_size: u32 = 0,
    /// 0 = variable-length values; N > 0 = every value is N bytes.
    value_size: u32 = 0,
    /// Keeps the table on ordinary pages (EHM_FLAG_NO_HUGE_PAGES, libehm
    /// 1.2). By default, on Linux, a map asks for transparent huge pages for
    /// tables of 4 MiB or more, rounded up to whole 2 MiB pages, so that
    /// lookups in a large table miss the TLB less. Clones keep the choice.
    no_huge_pages: bool = false,

    fn raw(self: Config) c.ehm_config {
        var cfg: c.ehm_config = undefined;
        c.ehm_config_init(&cfg);
        cfg.capacity = self.capacity;
        cfg.delta = self.delta;
        if (self.seed) |seed| {
            cfg.flags |= c.EHM_FLAG_FIXED_SEED;
            cfg.seed = seed;
        }
        if (self.no_huge_pages) cfg.flags |= c.EHM_FLAG_NO_HUGE_PAGES;
        cfg.key_size = self.key_size;
        cfg.value_size = self.value_size;
        return cfg;
    }
};

pub const Entry = struct {
    key: []const u8,
    value: []const u8,
};

/// What `Map.upsert` returns.
pub const Upserted = struct {
    /// The key's value, `value_size` bytes inside the map: writable, and
    /// valid until the next change of the map.
    value: []u8,
    /// Whether the key was inserted, its value zeroed.
    inserted: bool,
};

pub const Map = struct {
    handle: *c.ehm_map,
    /// The configured value_size, the length of `upsert`'s value; 0 when not
    /// known (a Map made from a bare handle), and `upsert` then asks the map.
    value_size: u32 = 0,

    pub fn init(config: Config) Error!Map {
        const cfg = config.raw();
        var handle: ?*c.ehm_map = null;
        try check(c.ehm_create(&handle, &cfg));
        return .{ .handle = handle.?, .value_size = config.value_size };
    }

    pub fn deinit(self: *Map) void {
        c.ehm_destroy(self.handle);
        self.* = undefined;
    }

    /// A deep copy with the same configuration and seed.
    pub fn clone(self: *const Map) Error!Map {
        var handle: ?*c.ehm_map = null;
        try check(c.ehm_clone(&handle, self.handle));
        return .{ .handle = handle.?, .value_size = self.value_size };
    }

    /// Inserts `key`, or replaces its value. On error the map is unchanged.
    pub fn put(self: *Map, key: []const u8, value: []const u8) Error!void {
        try check(c.ehm_put(self.handle, key.ptr, key.len, value.ptr, value.len));
    }

    /// Inserts `key` only if it is absent (ehm_insert, one lookup): true
    /// when it inserted, false when the key was present, which keeps its
    /// value and changes nothing.
    pub fn insert(self: *Map, key: []const u8, value: []const u8) Error!bool {
        const status = c.ehm_insert(self.handle, key.ptr, key.len, value.ptr, value.len);
        if (status == c.EHM_EXISTS) return false;
        try check(status);
        return true;
    }

    /// For a map with a fixed `value_size`: finds `key`, or inserts it with
    /// `value_size` zero bytes (ehm_upsert, one lookup), and returns its
    /// value, writable in place until the next change of the map, and
    /// whether it inserted. A map with variable-length values refuses with
    /// error.InvalidArgument. Counting is `upsert` and an increment.
    pub fn upsert(self: *Map, key: []const u8) Error!Upserted {
        var value: ?*anyopaque = null;
        var inserted: c_int = 0;
        try check(c.ehm_upsert(self.handle, key.ptr, key.len, &value, &inserted));
        var len: usize = self.value_size;
        if (len == 0) {
            // Only a fixed value_size gets here; every value is that long.
            var found: ?*const anyopaque = null;
            try check(c.ehm_get(self.handle, key.ptr, key.len, &found, &len));
        }
        const bytes: [*]u8 = @ptrCast(value.?);
        return .{ .value = bytes[0..len], .inserted = inserted != 0 };
    }

    /// The value of `key`, borrowed until the next change of the map; null
    /// if absent.
    pub fn get(self: *const Map, key: []const u8) Error!?[]const u8 {
        var value: ?*const anyopaque = null;
        var len: usize = 0;
        const status = c.ehm_get(self.handle, key.ptr, key.len, &value, &len);
        if (status == c.EHM_NOTFOUND) return null;
        try check(status);
        return view(value, len);
    }

    /// Copies the value of `key` into `buf` and returns the filled part;
    /// null if absent. error.BufferTooSmall copies nothing; `needed`, when
    /// given, then receives the value's length.
    pub fn getCopy(self: *const Map, key: []const u8, buf: []u8, needed: ?*usize) Error!?[]u8 {
        var len: usize = 0;
        const status = c.ehm_get_copy(self.handle, key.ptr, key.len, buf.ptr, buf.len, &len);
        if (status == c.EHM_NOTFOUND) return null;
        if (needed) |out| out.* = len;
        try check(status);
        return buf[0..len];
    }

    /// Keys per ehm_get_many call in `getMany`.
    pub const get_many_batch = 64;

    /// Looks up every key of `keys` with ehm_get_many, which overlaps the
    /// cache misses of the lookups (faster than a loop of `get` once the map
    /// outgrows the CPU caches), and sets `values[i]` to the value of
    /// `keys[i]`, borrowed until the next change of the map, or to null if
    /// absent. `values` must be as long as `keys`. Returns how many keys were
    /// found. A bad key fails the call with its error, and `values` then
    /// holds nothing meaningful. Needs no allocator: the keys go to C in
    /// batches of `get_many_batch` from the stack.
    pub fn getMany(self: *const Map, keys: []const []const u8, values: []?[]const u8) Error!usize {
        std.debug.assert(values.len == keys.len);
        var key_ptrs: [get_many_batch]?*const anyopaque = undefined;
        var key_lens: [get_many_batch]usize = undefined;
        var views: [get_many_batch]?*const anyopaque = undefined;
        var view_lens: [get_many_batch]usize = undefined;
        var statuses: [get_many_batch]c_int = undefined;
        var found: usize = 0;
        var start: usize = 0;
        while (start < keys.len) : (start += get_many_batch) {
            const batch = keys[start..@min(keys.len, start + get_many_batch)];
            for (batch, 0..) |key, i| {
                key_ptrs[i] = key.ptr;
                key_lens[i] = key.len;
            }
            try check(c.ehm_get_many(self.handle, batch.len, &key_ptrs, &key_lens, &views, &view_lens, &statuses));
            for (statuses[0..batch.len], values[start..][0..batch.len], 0..) |status, *out, i| {
                if (status == c.EHM_OK) {
                    out.* = view(views[i], view_lens[i]);
                    found += 1;
                } else if (status == c.EHM_NOTFOUND) {
                    out.* = null;
                } else {
                    return errorOf(status);
                }
            }
        }
        return found;
    }

    /// Removes `key`; false if it was absent.
    pub fn remove(self: *Map, key: []const u8) Error!bool {
        const status = c.ehm_remove(self.handle, key.ptr, key.len);
        if (status == c.EHM_NOTFOUND) return false;
        try check(status);
        return true;
    }

    pub fn contains(self: *const Map, key: []const u8) Error!bool {
        const status = c.ehm_contains(self.handle, key.ptr, key.len);
        try check(status);
        return status == 1;
    }

    pub fn count(self: *const Map) usize {
        return c.ehm_size(self.handle);
    }

    /// Removes every entry and keeps the capacity.
    pub fn clear(self: *Map) void {
        // ehm_clear fails only for a NULL map, which a Map never holds.
        _ = c.ehm_clear(self.handle);
    }

    /// Every entry once, in an unspecified order, borrowed from the map.
    pub fn iterator(self: *const Map) Iterator {
        return .{ .map = self };
    }
};

pub const Iterator = struct {
    map: *const Map,
    cursor: usize = 0,

    /// The next entry, or null after the last one. Removing the entry just
    /// returned keeps the iterator valid; any other change invalidates it.
    pub fn next(self: *Iterator) ?Entry {
        var key: ?*const anyopaque = null;
        var value: ?*const anyopaque = null;
        var key_len: usize = 0;
        var value_len: usize = 0;
        const status = c.ehm_next(self.map.handle, &self.cursor, &key, &key_len, &value, &value_len);
        // With a live map and a cursor only ehm_next has advanced, the status
        // is EHM_OK or EHM_ITEROVER; anything else ends the iteration too.
        if (status != c.EHM_OK) return null;
        return .{ .key = view(key, key_len), .value = view(value, value_len) };
    }
};
