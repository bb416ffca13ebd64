//! A safe hash map over libehm, the elastic-hashing map with a stable C ABI.
//!
//! Keys and values are byte slices; the map copies what it is given. Lookups
//! hand back slices borrowed from the map, and the C rule "a view is valid
//! until the next mutation" becomes a borrow: every view borrows `&self`, every
//! mutation needs `&mut self`, so the compiler rejects a view held across a
//! change:
//!
//! ```compile_fail
//! let mut map = ehm::Map::new().unwrap();
//! map.insert(b"k", b"v").unwrap();
//! let view = map.get(b"k").unwrap().unwrap();
//! map.insert(b"k", b"w").unwrap(); // error: `map` is borrowed by `view`
//! assert_eq!(view, b"v");
//! ```
//!
//! A `Map` is `Send` (it owns its memory and has no thread affinity) but not
//! `Sync`: the C contract allows concurrent readers, yet this crate does not
//! promise it, because `Sync` can be added later without breaking anyone and
//! never taken back. Share a map between threads behind a `Mutex`.
//!
//! ```compile_fail
//! fn shared<T: Sync>(_: &T) {}
//! shared(&ehm::Map::new().unwrap()); // error: `Map` is not `Sync`
//! ```

use ehm_sys as sys;
use std::ffi::CStr;
use std::fmt;
use std::iter::FusedIterator;
use std::mem::MaybeUninit;
use std::os::raw::{c_int, c_void};
use std::ptr::{self, NonNull};

/// A libehm status other than success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// `EHM_NOTFOUND`: the key is not in the map.
    NotFound,
    /// `EHM_EINVAL`: a bad argument, e.g. a key of the wrong length for a
    /// fixed-size map, or an invalid configuration.
    InvalidArgument,
    /// `EHM_ENOMEM`: an allocation failed and the map is unchanged.
    OutOfMemory,
    /// `EHM_ERANGE`: the buffer is too small; the value needs `needed` bytes.
    BufferTooSmall { needed: usize },
    /// `EHM_ETOOBIG`: a length or capacity beyond what the library supports.
    TooBig,
    /// `EHM_EVERSION`: a struct from a newer layout than the library knows.
    Version,
    /// `EHM_ITEROVER`: an iteration cursor has passed the last entry.
    IterationOver,
    /// A status this crate does not know, from a newer library.
    Unknown(i32),
}

impl Error {
    /// The error for a negative status; `EHM_ERANGE` reports `needed = 0`,
    /// since only the call that returned it knows the needed length.
    pub fn from_status(status: c_int) -> Error {
        match status {
            sys::EHM_NOTFOUND => Error::NotFound,
            sys::EHM_EINVAL => Error::InvalidArgument,
            sys::EHM_ENOMEM => Error::OutOfMemory,
            sys::EHM_ERANGE => Error::BufferTooSmall { needed: 0 },
            sys::EHM_ETOOBIG => Error::TooBig,
            sys::EHM_EVERSION => Error::Version,
            sys::EHM_ITEROVER => Error::IterationOver,
            other => Error::Unknown(other),
        }
    }

    /// The C status code.
    pub fn status(&self) -> c_int {
        match *self {
            Error::NotFound => sys::EHM_NOTFOUND,
            Error::InvalidArgument => sys::EHM_EINVAL,
            Error::OutOfMemory => sys::EHM_ENOMEM,
            Error::BufferTooSmall { .. } => sys::EHM_ERANGE,
            Error::TooBig => sys::EHM_ETOOBIG,
            Error::Version => sys::EHM_EVERSION,
            Error::IterationOver => sys::EHM_ITEROVER,
            Error::Unknown(status) => status,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // ehm_strerror returns static storage for every status, never NULL.
        let text = unsafe { CStr::from_ptr(sys::ehm_strerror(self.status())) };
        f.write_str(&text.to_string_lossy())?;
        // No value is shorter than an empty buffer, so 0 means "not known".
        match *self {
            Error::BufferTooSmall { needed } if needed > 0 => {
                write!(f, " ({} bytes needed)", needed)
            }
            _ => Ok(()),
        }
    }
}

impl std::error::Error for Error {}

/// A failed call: its status, as an [`Error`], and the library's message
/// saying why (`ehm_last_error`, read on the calling thread right after the
/// call), e.g. "ehm_insert: key_len is 3 but the map's key_size is 4". The
/// methods added with libehm 1.2 return it; `?` turns it into an `Error`
/// where a function returns that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    error: Error,
    message: String,
}

impl Failure {
    /// The failure of a call that returned `error`, with `message`.
    pub fn new(error: Error, message: impl Into<String>) -> Failure {
        Failure { error, message: message.into() }
    }

    /// The error of a negative status, with this thread's `ehm_last_error`:
    /// call it right after the call that returned `status`, with no other
    /// libehm call in between.
    pub fn from_status(status: c_int) -> Failure {
        Failure::new(Error::from_status(status), last_error())
    }

    /// The status, as an `Error`.
    pub fn error(&self) -> Error {
        self.error
    }

    /// The C status code.
    pub fn status(&self) -> c_int {
        self.error.status()
    }

    /// The library's message; empty when it gave none.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// `ehm_strerror`'s text, then the library's message: "invalid argument:
/// ehm_insert: key_len is 3 but the map's key_size is 4".
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<Failure> for Error {
    fn from(failure: Failure) -> Error {
        failure.error
    }
}

impl PartialEq<Error> for Failure {
    fn eq(&self, other: &Error) -> bool {
        self.error == *other
    }
}

/// Why this thread's most recent libehm call failed (`ehm_last_error`);
/// empty when it did not fail, or failed with a status that is an outcome
/// (not found, iteration over, already present). The methods returning
/// [`Error`] drop the message: call this right after one of them failed,
/// on the same thread, before any other call of this crate.
pub fn last_error() -> String {
    // ehm_last_error returns a NUL-terminated string the library owns, valid
    // until this thread's next libehm call; it is copied out at once.
    let text = unsafe { CStr::from_ptr(sys::ehm_last_error()) };
    text.to_string_lossy().into_owned()
}

fn check_described(status: c_int) -> Result<(), Failure> {
    if status >= 0 {
        Ok(())
    } else {
        Err(Failure::from_status(status))
    }
}

fn check(status: c_int) -> Result<(), Error> {
    if status >= 0 {
        Ok(())
    } else {
        Err(Error::from_status(status))
    }
}

/// The library's version, e.g. "1.0.0".
pub fn version() -> &'static str {
    let text = unsafe { CStr::from_ptr(sys::ehm_version_string()) };
    text.to_str().unwrap_or("")
}

/// Settings for a new map; `Config::default()` is what `Map::new` uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Entries the map holds before its first growth; 0 = a small default.
    pub capacity: u64,
    /// The free fraction kept before the table grows, 0 < delta < 1.
    pub delta: f64,
    /// A fixed hash seed for reproducible layouts; `None` draws a random one.
    pub seed: Option<u64>,
    /// 0 = variable-length keys; N > 0 = every key is N bytes.
    pub key_size: u32,
    /// 0 = variable-length values; N > 0 = every value is N bytes.
    pub value_size: u32,
    /// Keeps the table on ordinary pages (`EHM_FLAG_NO_HUGE_PAGES`, libehm
    /// 1.2). By default, on Linux, a map asks for transparent huge pages for
    /// tables of 4 MiB or more, rounded up to whole 2 MiB pages, so that
    /// lookups in a large table miss the TLB less. Clones keep the choice.
    pub no_huge_pages: bool,
}

impl Default for Config {
    fn default() -> Config {
        let raw = raw_config_defaults();
        Config {
            capacity: raw.capacity,
            delta: raw.delta,
            seed: None,
            key_size: raw.key_size,
            value_size: raw.value_size,
            no_huge_pages: raw.flags & sys::EHM_FLAG_NO_HUGE_PAGES != 0,
        }
    }
}

fn raw_config_defaults() -> sys::ehm_config {
    let mut raw = MaybeUninit::<sys::ehm_config>::uninit();
    // ehm_config_init writes every field.
    unsafe {
        sys::ehm_config_init(raw.as_mut_ptr());
        raw.assume_init()
    }
}

impl Config {
    fn to_raw(self) -> sys::ehm_config {
        let mut raw = raw_config_defaults();
        raw.capacity = self.capacity;
        raw.delta = self.delta;
        if let Some(seed) = self.seed {
            raw.flags |= sys::EHM_FLAG_FIXED_SEED;
            raw.seed = seed;
        }
        if self.no_huge_pages {
            raw.flags |= sys::EHM_FLAG_NO_HUGE_PAGES;
        }
        raw.key_size = self.key_size;
        raw.value_size = self.value_size;
        raw
    }
}

/// Turns a (pointer, length) view from the C side into a slice. The pointer
/// of an empty blob may be NULL, which a slice must never hold.
///
/// # Safety
/// `data` must point to `len` bytes that stay valid and unchanged for `'a`.
unsafe fn view<'a>(data: *const c_void, len: usize) -> &'a [u8] {
    if len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(data.cast::<u8>(), len)
    }
}

fn blob(bytes: &[u8]) -> *const c_void {
    bytes.as_ptr().cast()
}

/// An elastic-hashing map from byte strings to byte strings.
pub struct Map {
    raw: NonNull<sys::ehm_map>,
    /// The configured value_size: the length of the value `upsert` returns.
    value_size: u32,
}

// The map owns its memory outright and keeps no thread-local state, so it may
// move between threads. It is deliberately not Sync; see the crate docs.
unsafe impl Send for Map {}

impl Map {
    /// A map with the default configuration.
    pub fn new() -> Result<Map, Error> {
        Map::with_config(&Config::default())
    }

    pub fn with_config(config: &Config) -> Result<Map, Error> {
        let raw_config = config.to_raw();
        let mut raw = ptr::null_mut();
        check(unsafe { sys::ehm_create(&mut raw, &raw_config) })?;
        let value_size = config.value_size;
        NonNull::new(raw).map(|raw| Map { raw, value_size }).ok_or(Error::OutOfMemory)
    }

    /// A deep copy with the same configuration and seed.
    pub fn try_clone(&self) -> Result<Map, Error> {
        let mut raw = ptr::null_mut();
        check(unsafe { sys::ehm_clone(&mut raw, self.raw.as_ptr()) })?;
        let value_size = self.value_size;
        NonNull::new(raw).map(|raw| Map { raw, value_size }).ok_or(Error::OutOfMemory)
    }

    /// Inserts `key`, or replaces its value. On error the map is unchanged.
    pub fn insert(&mut self, key: &[u8], value: &[u8]) -> Result<(), Error> {
        check(unsafe {
            sys::ehm_put(self.raw.as_ptr(), blob(key), key.len(), blob(value), value.len())
        })
    }

    /// Inserts `key` only if it is absent (`ehm_insert`, one lookup):
    /// `Ok(true)` when it inserted, `Ok(false)` when the key was present,
    /// which keeps its value and changes nothing.
    pub fn insert_if_absent(&mut self, key: &[u8], value: &[u8]) -> Result<bool, Failure> {
        let status = unsafe {
            sys::ehm_insert(self.raw.as_ptr(), blob(key), key.len(), blob(value), value.len())
        };
        match status {
            sys::EHM_OK => Ok(true),
            sys::EHM_EXISTS => Ok(false),
            other => Err(Failure::from_status(other)),
        }
    }

    /// For a map with a fixed `value_size`: finds `key`, or inserts it with
    /// `value_size` zero bytes (`ehm_upsert`, one lookup), and returns its
    /// value, writable in place, and whether it inserted. A map with
    /// variable-length values refuses with `Error::InvalidArgument`.
    /// Counting is `upsert` and an increment:
    ///
    /// ```
    /// let mut counts = ehm::Map::with_config(&ehm::Config { value_size: 8, ..Default::default() })?;
    /// for word in ["a", "b", "a"] {
    ///     let (count, _) = counts.upsert(word.as_bytes())?;
    ///     let n = u64::from_ne_bytes(count[..].try_into().unwrap()) + 1;
    ///     count.copy_from_slice(&n.to_ne_bytes());
    /// }
    /// assert_eq!(counts.get(b"a")?, Some(&2u64.to_ne_bytes()[..]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// The value is borrowed from the map, so it cannot outlive the next change:
    ///
    /// ```compile_fail
    /// let mut map = ehm::Map::with_config(&ehm::Config { value_size: 1, ..Default::default() })?;
    /// let (value, _) = map.upsert(b"k")?;
    /// map.insert(b"j", b"x")?; // error: `map` is borrowed by `value`
    /// value[0] = 1;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn upsert(&mut self, key: &[u8]) -> Result<(&mut [u8], bool), Failure> {
        let mut value = ptr::null_mut();
        let mut inserted: c_int = 0;
        let status = unsafe {
            sys::ehm_upsert(self.raw.as_ptr(), blob(key), key.len(), &mut value, &mut inserted)
        };
        check_described(status)?;
        // EHM_OK comes only from a map with a fixed value_size, whose values
        // are that many bytes, writable until the next mutation: the borrow
        // of `&mut self`.
        let len = self.value_size as usize;
        debug_assert!(len > 0 && !value.is_null());
        let value = unsafe { std::slice::from_raw_parts_mut(value.cast::<u8>(), len) };
        Ok((value, inserted != 0))
    }

    /// The value of `key`, borrowed from the map; `Ok(None)` if absent.
    pub fn get(&self, key: &[u8]) -> Result<Option<&[u8]>, Error> {
        let mut value = ptr::null();
        let mut value_len = 0usize;
        let status = unsafe {
            sys::ehm_get(self.raw.as_ptr(), blob(key), key.len(), &mut value, &mut value_len)
        };
        match status {
            sys::EHM_OK => Ok(Some(unsafe { view(value, value_len) })),
            sys::EHM_NOTFOUND => Ok(None),
            other => Err(Error::from_status(other)),
        }
    }

    /// Copies the value of `key` into `buf` and returns its length; `Ok(None)`
    /// if absent, `Error::BufferTooSmall` (nothing copied) if `buf` is short.
    pub fn get_into(&self, key: &[u8], buf: &mut [u8]) -> Result<Option<usize>, Error> {
        let mut value_len = 0usize;
        let status = unsafe {
            sys::ehm_get_copy(
                self.raw.as_ptr(),
                blob(key),
                key.len(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut value_len,
            )
        };
        match status {
            sys::EHM_OK => Ok(Some(value_len)),
            sys::EHM_NOTFOUND => Ok(None),
            sys::EHM_ERANGE => Err(Error::BufferTooSmall { needed: value_len }),
            other => Err(Error::from_status(other)),
        }
    }

    /// Removes `key`; `Ok(false)` if it was absent.
    pub fn remove(&mut self, key: &[u8]) -> Result<bool, Error> {
        match unsafe { sys::ehm_remove(self.raw.as_ptr(), blob(key), key.len()) } {
            sys::EHM_OK => Ok(true),
            sys::EHM_NOTFOUND => Ok(false),
            other => Err(Error::from_status(other)),
        }
    }

    pub fn contains_key(&self, key: &[u8]) -> Result<bool, Error> {
        let status = unsafe { sys::ehm_contains(self.raw.as_ptr(), blob(key), key.len()) };
        check(status).map(|()| status == 1)
    }

    pub fn len(&self) -> usize {
        unsafe { sys::ehm_size(self.raw.as_ptr()) }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Slots in the table.
    pub fn capacity(&self) -> usize {
        unsafe { sys::ehm_capacity(self.raw.as_ptr()) }
    }

    /// Grows now so that `entries` fit without growing later.
    pub fn reserve(&mut self, entries: usize) -> Result<(), Error> {
        check(unsafe { sys::ehm_reserve(self.raw.as_ptr(), entries) })
    }

    /// Removes every entry and keeps the capacity.
    pub fn clear(&mut self) {
        // ehm_clear fails only for a NULL map, which a Map never holds.
        let status = unsafe { sys::ehm_clear(self.raw.as_ptr()) };
        debug_assert_eq!(status, sys::EHM_OK);
    }

    /// Every entry once, in an unspecified order, as borrowed slices.
    pub fn iter(&self) -> Iter<'_> {
        Iter { map: self, cursor: 0, done: false }
    }

    /// Keeps only the entries for which `keep` returns true, in one pass:
    /// removing the entry just visited leaves the C cursor valid.
    pub fn retain<F: FnMut(&[u8], &[u8]) -> bool>(&mut self, mut keep: F) -> Result<(), Error> {
        let mut cursor = 0usize;
        let mut doomed = Vec::new();
        while let Some((key, value)) = next_entry(self, &mut cursor) {
            if !keep(key, value) {
                // The key's bytes live in the slot being removed: copy them out first.
                doomed.clear();
                doomed.extend_from_slice(key);
                check(unsafe { sys::ehm_remove(self.raw.as_ptr(), blob(&doomed), doomed.len()) })?;
            }
        }
        Ok(())
    }

    /// The table's statistics: levels, tombstones, probes, memory.
    pub fn stats(&self) -> Result<sys::ehm_stats, Error> {
        let mut stats = sys::ehm_stats {
            struct_size: std::mem::size_of::<sys::ehm_stats>() as u32,
            ..Default::default()
        };
        check(unsafe { sys::ehm_stats_get(self.raw.as_ptr(), &mut stats) })?;
        Ok(stats)
    }

    /// The probes a lookup of `key` makes, and whether it found the key.
    pub fn probe_count(&self, key: &[u8]) -> Result<(u64, bool), Error> {
        let mut probes = 0u64;
        let status =
            unsafe { sys::ehm_probe_count(self.raw.as_ptr(), blob(key), key.len(), &mut probes) };
        match status {
            sys::EHM_OK => Ok((probes, true)),
            sys::EHM_NOTFOUND => Ok((probes, false)),
            other => Err(Error::from_status(other)),
        }
    }

    /// The memory round trips a lookup of `key` needs for its control words
    /// (`ehm_probe_fetches`), and whether it found the key: 1 when the key's
    /// first probes decide it, one more for each group read beyond them, so
    /// at least 1 and at most `probe_count`'s probes.
    pub fn probe_fetches(&self, key: &[u8]) -> Result<(u64, bool), Failure> {
        let mut fetches = 0u64;
        let status = unsafe {
            sys::ehm_probe_fetches(self.raw.as_ptr(), blob(key), key.len(), &mut fetches)
        };
        match status {
            sys::EHM_OK => Ok((fetches, true)),
            sys::EHM_NOTFOUND => Ok((fetches, false)),
            other => Err(Failure::from_status(other)),
        }
    }

    /// The raw handle, for calls this crate does not wrap. It stays owned by
    /// the map.
    pub fn as_ptr(&self) -> *const sys::ehm_map {
        self.raw.as_ptr()
    }
}

/// The entry after `*cursor`, borrowed for as long as `map` is.
fn next_entry<'a>(map: &'a Map, cursor: &mut usize) -> Option<(&'a [u8], &'a [u8])> {
    let (mut key, mut key_len) = (ptr::null(), 0usize);
    let (mut value, mut value_len) = (ptr::null(), 0usize);
    let status = unsafe {
        sys::ehm_next(map.raw.as_ptr(), cursor, &mut key, &mut key_len, &mut value, &mut value_len)
    };
    // With a live map and a cursor only ehm_next has advanced, the status is
    // EHM_OK or EHM_ITEROVER; anything else ends the iteration as well.
    if status != sys::EHM_OK {
        return None;
    }
    Some(unsafe { (view(key, key_len), view(value, value_len)) })
}

impl Drop for Map {
    fn drop(&mut self) {
        unsafe { sys::ehm_destroy(self.raw.as_ptr()) }
    }
}

/// Equal when both hold the same keys with byte-equal values.
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        unsafe { sys::ehm_equal(self.raw.as_ptr(), other.raw.as_ptr()) == 1 }
    }
}

impl Eq for Map {}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Map").field("len", &self.len()).field("capacity", &self.capacity()).finish()
    }
}

/// The iterator of `Map::iter`.
pub struct Iter<'a> {
    map: &'a Map,
    cursor: usize,
    done: bool,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let entry = next_entry(self.map, &mut self.cursor);
        self.done = entry.is_none();
        entry
    }
}

impl FusedIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a [u8], &'a [u8]);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}
