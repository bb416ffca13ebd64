//! Raw declarations of the libehm C API (`ehm/ehm.h` of version 1.2), written
//! by hand. Every item mirrors the header one to one; nothing here is safe to call
//! without reading the header's rules. The `ehm` crate is the safe layer.
//!
//! Invariant: each `#[repr(C)]` struct has the size, alignment and field
//! offsets the C compiler gives the header's struct, and each constant has the
//! header's value. `tests/layout.rs` compiles a C probe against the installed
//! header and compares both sides field by field.
#![allow(non_camel_case_types)]

use std::marker::{PhantomData, PhantomPinned};
use std::os::raw::{c_char, c_int, c_uint, c_void};

pub const EHM_VERSION_MAJOR: c_uint = 1;
pub const EHM_VERSION_MINOR: c_uint = 2;
pub const EHM_VERSION_PATCH: c_uint = 0;
pub const EHM_VERSION_NUMBER: c_uint =
    EHM_VERSION_MAJOR * 10000 + EHM_VERSION_MINOR * 100 + EHM_VERSION_PATCH;

pub const EHM_OK: c_int = 0;
pub const EHM_NOTFOUND: c_int = -1;
pub const EHM_EINVAL: c_int = -2;
pub const EHM_ENOMEM: c_int = -3;
pub const EHM_ERANGE: c_int = -4;
pub const EHM_ETOOBIG: c_int = -5;
pub const EHM_EVERSION: c_int = -6;
pub const EHM_ITEROVER: c_int = -7;
/// Since 1.2.
pub const EHM_EXISTS: c_int = -8;

pub const EHM_FLAG_FIXED_SEED: u32 = 1;
/// Keeps a map's table on ordinary pages, where the default allocator would
/// ask Linux for transparent huge pages. Since 1.2.
pub const EHM_FLAG_NO_HUGE_PAGES: u32 = 2;
pub const EHM_DEFAULT_DELTA: f64 = 0.03125;

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ehm_allocator {
    pub alloc:
        Option<unsafe extern "C" fn(ctx: *mut c_void, size: usize, align: usize) -> *mut c_void>,
    pub free:
        Option<unsafe extern "C" fn(ctx: *mut c_void, ptr: *mut c_void, size: usize, align: usize)>,
    pub ctx: *mut c_void,
}

#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ehm_config {
    pub struct_size: u32,
    pub flags: u32,
    pub capacity: u64,
    pub delta: f64,
    pub seed: u64,
    pub key_size: u32,
    pub value_size: u32,
    pub allocator: *const ehm_allocator,
}

/// The opaque map: only ever handled through pointers.
#[repr(C)]
pub struct ehm_map {
    _opaque: [u8; 0],
    _not_send_sync_unpin: PhantomData<(*mut u8, PhantomPinned)>,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ehm_stats {
    pub struct_size: u32,
    pub levels: u32,
    pub size: u64,
    pub capacity: u64,
    pub tombstones: u64,
    pub memory_bytes: u64,
    pub probe_width: u64,
    pub insert_probes_total: u64,
    pub insert_probes_max: u64,
    pub inserts: u64,
    pub rebuilds: u64,
}

extern "C" {
    pub fn ehm_version() -> c_uint;
    pub fn ehm_version_string() -> *const c_char;
    pub fn ehm_strerror(status: c_int) -> *const c_char;
    /// Since 1.2.
    pub fn ehm_last_error() -> *const c_char;

    pub fn ehm_config_init(cfg: *mut ehm_config);
    pub fn ehm_create(out: *mut *mut ehm_map, cfg: *const ehm_config) -> c_int;
    pub fn ehm_destroy(map: *mut ehm_map);
    pub fn ehm_clone(out: *mut *mut ehm_map, src: *const ehm_map) -> c_int;

    pub fn ehm_put(
        map: *mut ehm_map,
        key: *const c_void,
        key_len: usize,
        value: *const c_void,
        value_len: usize,
    ) -> c_int;
    /// Since 1.2.
    pub fn ehm_insert(
        map: *mut ehm_map,
        key: *const c_void,
        key_len: usize,
        value: *const c_void,
        value_len: usize,
    ) -> c_int;
    /// Since 1.2.
    pub fn ehm_upsert(
        map: *mut ehm_map,
        key: *const c_void,
        key_len: usize,
        value: *mut *mut c_void,
        inserted: *mut c_int,
    ) -> c_int;
    /// Since 1.2.
    pub fn ehm_exchange(
        map: *mut ehm_map,
        key: *const c_void,
        key_len: usize,
        value: *const c_void,
        value_len: usize,
        old_buf: *mut c_void,
        old_buf_len: usize,
        old_len: *mut usize,
    ) -> c_int;
    pub fn ehm_get(
        map: *const ehm_map,
        key: *const c_void,
        key_len: usize,
        value: *mut *const c_void,
        value_len: *mut usize,
    ) -> c_int;
    pub fn ehm_get_copy(
        map: *const ehm_map,
        key: *const c_void,
        key_len: usize,
        buf: *mut c_void,
        buf_len: usize,
        value_len: *mut usize,
    ) -> c_int;
    /// Since 1.1.
    pub fn ehm_get_many(
        map: *const ehm_map,
        count: usize,
        keys: *const *const c_void,
        key_lens: *const usize,
        values: *mut *const c_void,
        value_lens: *mut usize,
        statuses: *mut c_int,
    ) -> c_int;
    pub fn ehm_remove(map: *mut ehm_map, key: *const c_void, key_len: usize) -> c_int;
    /// Since 1.2.
    pub fn ehm_remove_copy(
        map: *mut ehm_map,
        key: *const c_void,
        key_len: usize,
        buf: *mut c_void,
        buf_len: usize,
        value_len: *mut usize,
    ) -> c_int;
    pub fn ehm_contains(map: *const ehm_map, key: *const c_void, key_len: usize) -> c_int;
    pub fn ehm_contains_value(map: *const ehm_map, value: *const c_void, value_len: usize)
        -> c_int;
    pub fn ehm_size(map: *const ehm_map) -> usize;
    pub fn ehm_capacity(map: *const ehm_map) -> usize;
    pub fn ehm_reserve(map: *mut ehm_map, entries: usize) -> c_int;
    pub fn ehm_clear(map: *mut ehm_map) -> c_int;
    pub fn ehm_equal(a: *const ehm_map, b: *const ehm_map) -> c_int;
    pub fn ehm_hash(map: *const ehm_map) -> u64;

    pub fn ehm_next(
        map: *const ehm_map,
        cursor: *mut usize,
        key: *mut *const c_void,
        key_len: *mut usize,
        value: *mut *const c_void,
        value_len: *mut usize,
    ) -> c_int;

    pub fn ehm_stats_get(map: *const ehm_map, out: *mut ehm_stats) -> c_int;
    pub fn ehm_probe_count(
        map: *const ehm_map,
        key: *const c_void,
        key_len: usize,
        probes: *mut u64,
    ) -> c_int;
    /// Since 1.2.
    pub fn ehm_probe_fetches(
        map: *const ehm_map,
        key: *const c_void,
        key_len: usize,
        fetches: *mut u64,
    ) -> c_int;
}
