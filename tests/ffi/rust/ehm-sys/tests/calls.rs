//! Calls through the hand-written declarations whose argument lists the
//! layout probe cannot see: a wrong order or type here shows up as a wrong
//! result or a crash.

use ehm_sys::*;
use std::os::raw::{c_int, c_void};
use std::ptr;

fn blob(bytes: &[u8]) -> *const c_void {
    bytes.as_ptr().cast()
}

#[test]
fn put_get_many_remove_and_next() {
    let mut map = ptr::null_mut();
    assert_eq!(unsafe { ehm_create(&mut map, ptr::null()) }, EHM_OK);
    for (key, value) in [(&b"one"[..], &b"1"[..]), (b"three", b"333")] {
        let status = unsafe { ehm_put(map, blob(key), key.len(), blob(value), value.len()) };
        assert_eq!(status, EHM_OK);
    }

    let keys: [&[u8]; 3] = [b"one", b"two", b"three"];
    let key_ptrs: Vec<*const c_void> = keys.iter().map(|k| blob(k)).collect();
    let key_lens: Vec<usize> = keys.iter().map(|k| k.len()).collect();
    let mut values = [ptr::null::<c_void>(); 3];
    let mut value_lens = [usize::MAX; 3];
    let mut statuses: [c_int; 3] = [1; 3];
    let status = unsafe {
        ehm_get_many(
            map,
            keys.len(),
            key_ptrs.as_ptr(),
            key_lens.as_ptr(),
            values.as_mut_ptr(),
            value_lens.as_mut_ptr(),
            statuses.as_mut_ptr(),
        )
    };
    assert_eq!(status, EHM_OK);
    assert_eq!(statuses, [EHM_OK, EHM_NOTFOUND, EHM_OK]);
    assert_eq!(value_lens, [1, usize::MAX, 3], "a miss leaves its outputs untouched");
    let third = unsafe { std::slice::from_raw_parts(values[2].cast::<u8>(), value_lens[2]) };
    assert_eq!(third, b"333");

    assert_eq!(unsafe { ehm_remove(map, blob(b"one"), 3) }, EHM_OK);
    let (mut cursor, mut visited) = (0usize, 0);
    let (mut key, mut key_len) = (ptr::null(), 0usize);
    while unsafe {
        ehm_next(map, &mut cursor, &mut key, &mut key_len, ptr::null_mut(), ptr::null_mut())
    } == EHM_OK
    {
        visited += 1;
        assert_eq!(key_len, 5);
    }
    assert_eq!(visited, 1);
    unsafe { ehm_destroy(map) };
}

fn last_error() -> String {
    let text = unsafe { std::ffi::CStr::from_ptr(ehm_last_error()) };
    text.to_string_lossy().into_owned()
}

#[test]
fn insert_upsert_exchange_remove_copy_and_last_error() {
    let mut config = std::mem::MaybeUninit::<ehm_config>::uninit();
    let mut config = unsafe {
        ehm_config_init(config.as_mut_ptr());
        config.assume_init()
    };
    config.key_size = 4;
    config.value_size = 8;
    let mut map = ptr::null_mut();
    assert_eq!(unsafe { ehm_create(&mut map, &config) }, EHM_OK);
    let one = 1u64.to_ne_bytes();
    let two = 2u64.to_ne_bytes();

    assert_eq!(unsafe { ehm_insert(map, blob(b"abcd"), 4, blob(&one), 8) }, EHM_OK);
    assert_eq!(unsafe { ehm_insert(map, blob(b"abcd"), 4, blob(&two), 8) }, EHM_EXISTS);
    assert_eq!(last_error(), "", "EHM_EXISTS is an outcome");

    let (mut value, mut inserted): (*mut c_void, c_int) = (ptr::null_mut(), -1);
    assert_eq!(unsafe { ehm_upsert(map, blob(b"wxyz"), 4, &mut value, &mut inserted) }, EHM_OK);
    assert_eq!(inserted, 1);
    unsafe { *value.cast::<u64>() += 5 };
    assert_eq!(unsafe { ehm_upsert(map, blob(b"wxyz"), 4, &mut value, ptr::null_mut()) }, EHM_OK);
    assert_eq!(unsafe { *value.cast::<u64>() }, 5);

    let mut old = [0u8; 8];
    let mut old_len = 0usize;
    let status = unsafe {
        ehm_exchange(map, blob(b"abcd"), 4, blob(&two), 8, old.as_mut_ptr().cast(), 8, &mut old_len)
    };
    assert_eq!((status, old_len, old), (1, 8, one));

    let (mut buf, mut len) = ([0u8; 8], 0usize);
    let status =
        unsafe { ehm_remove_copy(map, blob(b"abcd"), 4, buf.as_mut_ptr().cast(), 8, &mut len) };
    assert_eq!((status, len, buf), (EHM_OK, 8, two));
    assert_eq!(unsafe { ehm_size(map) }, 1);

    assert_eq!(unsafe { ehm_insert(map, blob(b"abc"), 3, blob(&one), 8) }, EHM_EINVAL);
    let message = last_error();
    assert!(message.starts_with("ehm_insert: ") && message.contains("key_size"), "{}", message);
    unsafe { ehm_destroy(map) };
}

#[test]
fn probe_fetches_beside_probe_count_and_the_page_flag() {
    let mut config = std::mem::MaybeUninit::<ehm_config>::uninit();
    let mut config = unsafe {
        ehm_config_init(config.as_mut_ptr());
        config.assume_init()
    };
    config.flags = EHM_FLAG_FIXED_SEED | EHM_FLAG_NO_HUGE_PAGES;
    config.seed = 11;
    let mut map = ptr::null_mut();
    assert_eq!(unsafe { ehm_create(&mut map, &config) }, EHM_OK);
    for i in 0..1000u32 {
        let key = i.to_ne_bytes();
        assert_eq!(unsafe { ehm_put(map, blob(&key), 4, blob(b"v"), 1) }, EHM_OK);
    }

    let present = 7u32.to_ne_bytes();
    for (key, expected) in [(&present[..], EHM_OK), (&b"absent"[..], EHM_NOTFOUND)] {
        let (mut probes, mut fetches) = (0u64, 0u64);
        assert_eq!(unsafe { ehm_probe_count(map, blob(key), key.len(), &mut probes) }, expected);
        assert_eq!(unsafe { ehm_probe_fetches(map, blob(key), key.len(), &mut fetches) }, expected);
        assert!(fetches >= 1 && fetches <= probes, "{} fetches, {} probes", fetches, probes);
    }
    let status = unsafe { ehm_probe_fetches(map, blob(&present), 4, ptr::null_mut()) };
    assert_eq!(status, EHM_EINVAL);
    assert_eq!(last_error(), "ehm_probe_fetches: fetches is NULL");
    unsafe { ehm_destroy(map) };

    // The bit after the known flags is refused, and nothing is made.
    config.flags = EHM_FLAG_NO_HUGE_PAGES | 4;
    let mut refused = ptr::null_mut();
    assert_eq!(unsafe { ehm_create(&mut refused, &config) }, EHM_EINVAL);
    assert!(refused.is_null());
    assert!(last_error().contains("flags"), "{}", last_error());
}
