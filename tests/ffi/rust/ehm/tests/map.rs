//! The safe `Map` against the installed libehm: entries, lookups that hit and
//! miss, removal, iteration, every error the wrapper maps, and the thread and
//! lifetime rules the types promise.

use ehm::{Config, Error, Failure, Map};
use std::collections::BTreeMap;

const ENTRIES: u32 = 2000;

fn key(i: u32) -> Vec<u8> {
    format!("key-{}", i).into_bytes()
}

fn value(i: u32) -> Vec<u8> {
    format!("value-{}", i * 7).into_bytes()
}

fn filled() -> Map {
    let mut map = Map::new().expect("create");
    for i in 0..ENTRIES {
        map.insert(&key(i), &value(i)).expect("insert");
    }
    map
}

#[test]
fn create_insert_and_get_hits() {
    let map = filled();
    assert_eq!(map.len(), ENTRIES as usize);
    assert!(map.capacity() >= map.len());
    for i in 0..ENTRIES {
        assert_eq!(map.get(&key(i)).unwrap(), Some(&value(i)[..]), "key {}", i);
    }
}

#[test]
fn get_misses_and_contains_key() {
    let map = filled();
    assert_eq!(map.get(b"absent").unwrap(), None);
    assert!(!map.contains_key(b"absent").unwrap());
    assert!(map.contains_key(&key(0)).unwrap());
    let mut buf = [0u8; 4];
    assert_eq!(map.get_into(b"absent", &mut buf).unwrap(), None);
}

#[test]
fn insert_replaces_and_empty_blobs_are_entries() {
    let mut map = Map::new().unwrap();
    map.insert(b"k", b"first").unwrap();
    map.insert(b"k", b"second").unwrap();
    assert_eq!(map.len(), 1);
    assert_eq!(map.get(b"k").unwrap(), Some(&b"second"[..]));
    map.insert(b"", b"").unwrap();
    assert_eq!(map.get(b"").unwrap(), Some(&b""[..]));
    assert_eq!(map.len(), 2);
}

#[test]
fn remove_reports_presence() {
    let mut map = filled();
    assert!(map.remove(&key(5)).unwrap());
    assert!(!map.remove(&key(5)).unwrap());
    assert_eq!(map.get(&key(5)).unwrap(), None);
    assert_eq!(map.len(), ENTRIES as usize - 1);
    map.clear();
    assert!(map.is_empty());
    assert_eq!(map.iter().count(), 0);
}

#[test]
fn iteration_visits_every_entry_once() {
    let map = filled();
    let mut seen = BTreeMap::new();
    for (k, v) in &map {
        assert!(seen.insert(k.to_vec(), v.to_vec()).is_none(), "visited twice: {:?}", k);
    }
    let expected: BTreeMap<_, _> = (0..ENTRIES).map(|i| (key(i), value(i))).collect();
    assert_eq!(seen, expected);
    let mut iter = map.iter();
    while iter.next().is_some() {}
    assert!(iter.next().is_none(), "a finished iterator stays finished");
}

#[test]
fn retain_filters_in_one_pass() {
    let mut map = filled();
    map.retain(|k, _| matches!(k.last(), Some(b'0' | b'2' | b'4' | b'6' | b'8'))).unwrap();
    assert_eq!(map.len(), ENTRIES as usize / 2);
    for i in 0..ENTRIES {
        assert_eq!(map.contains_key(&key(i)).unwrap(), i % 2 == 0, "key {}", i);
    }
}

#[test]
fn get_into_copies_or_reports_the_needed_length() {
    let map = filled();
    let expected = value(42);
    let mut small = [0u8; 3];
    let err = map.get_into(&key(42), &mut small).unwrap_err();
    assert_eq!(err, Error::BufferTooSmall { needed: expected.len() });
    assert_eq!(small, [0u8; 3], "nothing copied");
    let mut buf = [0u8; 64];
    let len = map.get_into(&key(42), &mut buf).unwrap().unwrap();
    assert_eq!(&buf[..len], &expected[..]);
}

#[test]
fn fixed_sizes_reject_other_lengths() {
    let config = Config { key_size: 4, value_size: 8, ..Config::default() };
    let mut map = Map::with_config(&config).unwrap();
    map.insert(b"abcd", &7u64.to_le_bytes()).unwrap();
    assert_eq!(map.insert(b"abc", &7u64.to_le_bytes()), Err(Error::InvalidArgument));
    assert_eq!(map.insert(b"abcd", b"short"), Err(Error::InvalidArgument));
    assert_eq!(map.get(b"toolong"), Err(Error::InvalidArgument));
    assert_eq!(map.len(), 1);
}

#[test]
fn insert_if_absent_inserts_or_keeps_the_present_value() {
    let mut map = Map::new().unwrap();
    assert_eq!(map.insert_if_absent(b"k", b"first"), Ok(true));
    assert_eq!(map.insert_if_absent(b"k", b"second"), Ok(false), "EHM_EXISTS is Ok(false)");
    assert_eq!(map.get(b"k").unwrap(), Some(&b"first"[..]), "a present key keeps its value");
    assert_eq!(map.len(), 1);
    assert_eq!(ehm::last_error(), "", "EHM_EXISTS is an outcome, not a failure");
    assert_eq!(map.insert_if_absent(b"", b""), Ok(true));
    assert_eq!(map.len(), 2);
}

#[test]
fn upsert_inserts_zeroed_values_and_counts() {
    let mut counts = Map::with_config(&Config { value_size: 8, ..Config::default() }).unwrap();
    let words = ["apple", "pear", "apple", "fig", "apple", "pear"];
    let mut inserted = 0;
    for word in words {
        let (count, new) = counts.upsert(word.as_bytes()).unwrap();
        assert_eq!(count.len(), 8);
        if new {
            assert_eq!(count, &[0u8; 8], "an inserted value is zeroed");
            inserted += 1;
        }
        let n = u64::from_ne_bytes(count[..].try_into().unwrap()) + 1;
        count.copy_from_slice(&n.to_ne_bytes());
    }
    assert_eq!(inserted, 3);
    assert_eq!(counts.len(), 3);
    for (word, n) in [("apple", 3u64), ("pear", 2), ("fig", 1)] {
        assert_eq!(counts.get(word.as_bytes()).unwrap(), Some(&n.to_ne_bytes()[..]), "{}", word);
    }
}

#[test]
fn upsert_on_variable_values_is_refused_with_a_message() {
    let mut map = Map::new().unwrap();
    let failure = map.upsert(b"k").unwrap_err();
    assert_eq!(failure.error(), Error::InvalidArgument);
    assert_eq!(failure.status(), -2);
    assert!(failure.message().starts_with("ehm_upsert: "), "{}", failure.message());
    assert!(failure.message().contains("value_size"), "{}", failure.message());
    assert_eq!(failure.to_string(), format!("invalid argument: {}", failure.message()));
    assert!(map.is_empty());
}

#[test]
fn a_bad_key_length_fails_with_a_message() {
    let config = Config { key_size: 4, value_size: 8, ..Config::default() };
    let mut map = Map::with_config(&config).unwrap();
    let failure = map.insert_if_absent(b"abc", &[0; 8]).unwrap_err();
    assert_eq!(failure, Error::InvalidArgument);
    assert!(failure.message().starts_with("ehm_insert: "), "{}", failure.message());
    assert!(failure.message().contains("key_size"), "{}", failure.message());
    assert!(failure.message().contains('3') && failure.message().contains('4'));
    let failure = map.upsert(b"abcde").unwrap_err();
    assert_eq!(failure.error(), Error::InvalidArgument);
    assert!(failure.message().starts_with("ehm_upsert: "), "{}", failure.message());
    // The methods returning Error leave the message to ehm::last_error.
    assert_eq!(map.insert(b"ab", &[0; 8]), Err(Error::InvalidArgument));
    assert!(ehm::last_error().starts_with("ehm_put: "), "{}", ehm::last_error());
    assert_eq!(map.len(), 0);
    // `?` turns a Failure into an Error.
    fn as_error(map: &mut Map) -> Result<bool, Error> {
        Ok(map.insert_if_absent(b"x", &[0; 8])?)
    }
    assert_eq!(as_error(&mut map), Err(Error::InvalidArgument));
    let built = Failure::new(Error::TooBig, "");
    assert_eq!(built.to_string(), Error::TooBig.to_string(), "no message, no colon");
}

#[test]
fn invalid_configs_are_errors() {
    for delta in [0.0, 1.0, -0.5, f64::NAN] {
        let config = Config { delta, ..Config::default() };
        assert_eq!(Map::with_config(&config).unwrap_err(), Error::InvalidArgument, "{}", delta);
    }
    let huge = Config { capacity: u64::MAX, ..Config::default() };
    assert_eq!(Map::with_config(&huge).unwrap_err(), Error::TooBig);
}

#[test]
fn errors_round_trip_their_status_and_describe_themselves() {
    let all = [
        Error::NotFound,
        Error::InvalidArgument,
        Error::OutOfMemory,
        Error::BufferTooSmall { needed: 0 },
        Error::TooBig,
        Error::Version,
        Error::IterationOver,
        Error::Unknown(-1000),
    ];
    let mut texts = Vec::new();
    for err in all {
        assert_eq!(Error::from_status(err.status()), err);
        assert!(err.status() < 0);
        texts.push(err.to_string());
    }
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), all.len(), "each error has its own message");
    assert_eq!(
        Error::BufferTooSmall { needed: 9 }.to_string(),
        format!("{} (9 bytes needed)", Error::BufferTooSmall { needed: 0 })
    );
}

#[test]
fn clones_are_equal_and_independent() {
    let original = filled();
    let mut copy = original.try_clone().unwrap();
    assert_eq!(copy, original);
    copy.insert(b"extra", b"1").unwrap();
    assert_ne!(copy, original);
    assert_eq!(original.get(b"extra").unwrap(), None);
}

#[test]
fn fixed_seeds_reproduce_the_iteration_order() {
    let config = Config { seed: Some(42), ..Config::default() };
    let build = || {
        let mut map = Map::with_config(&config).unwrap();
        for i in 0..100 {
            map.insert(&key(i), &value(i)).unwrap();
        }
        map.iter().map(|(k, _)| k.to_vec()).collect::<Vec<_>>()
    };
    assert_eq!(build(), build());
}

#[test]
fn stats_and_probe_counts() {
    let map = filled();
    let stats = map.stats().unwrap();
    assert_eq!(stats.size, ENTRIES as u64);
    assert_eq!(stats.capacity, map.capacity() as u64);
    assert!(stats.memory_bytes > 0);
    let (probes, found) = map.probe_count(&key(1)).unwrap();
    assert!(found && probes >= 1);
    let (_, found) = map.probe_count(b"absent").unwrap();
    assert!(!found);
}

#[test]
fn probe_fetches_agree_with_probe_count() {
    let map = filled();
    // Keys from ENTRIES on are absent.
    for i in 0..2 * ENTRIES {
        let (fetches, found) = map.probe_fetches(&key(i)).unwrap();
        let (probes, present) = map.probe_count(&key(i)).unwrap();
        assert_eq!((found, present), (i < ENTRIES, i < ENTRIES), "key {}", i);
        assert!((1..=probes).contains(&fetches), "{}: {} fetches, {} probes", i, fetches, probes);
    }
    assert_eq!(ehm::last_error(), "", "a miss is an outcome, not a failure");
}

#[test]
fn probe_fetches_of_a_bad_key_length_fails_with_a_message() {
    let mut map = Map::with_config(&Config { key_size: 4, ..Config::default() }).unwrap();
    map.insert(b"abcd", b"v").unwrap();
    assert_eq!(map.probe_fetches(b"abcd"), Ok((1, true)), "a lone key is decided at once");
    let failure = map.probe_fetches(b"abc").unwrap_err();
    assert_eq!(failure.error(), Error::InvalidArgument);
    assert!(failure.message().starts_with("ehm_probe_fetches: "), "{}", failure.message());
    assert!(failure.message().contains("key_size"), "{}", failure.message());
}

// Which pages hold the table cannot be seen from here; that the option is
// accepted, and that the map and its clone work, can. Huge pages round the
// table up to whole 2 MiB pages, so ordinary ones never hold more.
#[test]
fn no_huge_pages_keeps_a_working_map() {
    assert!(!Config::default().no_huge_pages);
    const WIDE: u64 = 300_000;
    let build = |no_huge_pages: bool| {
        let config = Config {
            capacity: WIDE,
            seed: Some(5),
            key_size: 8,
            value_size: 8,
            no_huge_pages,
            ..Config::default()
        };
        let mut map = Map::with_config(&config).unwrap();
        for i in 0..WIDE {
            map.insert(&i.to_le_bytes(), &(i * 3).to_le_bytes()).unwrap();
        }
        map
    };
    let plain = build(true);
    let huge = build(false);
    assert_eq!(plain.len(), WIDE as usize);
    for i in (0..WIDE).step_by(997) {
        assert_eq!(plain.get(&i.to_le_bytes()).unwrap(), Some(&(i * 3).to_le_bytes()[..]));
    }
    assert_eq!(plain.get(&WIDE.to_le_bytes()).unwrap(), None);
    assert_eq!(plain, huge);
    let memory = plain.stats().unwrap().memory_bytes;
    assert!(memory >= WIDE * 16, "{} bytes", memory);
    assert!(memory <= huge.stats().unwrap().memory_bytes);
    let copy = plain.try_clone().unwrap();
    assert_eq!(copy, plain);
    assert_eq!(copy.stats().unwrap().memory_bytes, memory, "a clone keeps the map's pages");
}

#[test]
fn reserve_grows_ahead() {
    let mut map = Map::new().unwrap();
    map.reserve(10_000).unwrap();
    let capacity = map.capacity();
    assert!(capacity >= 10_000);
    for i in 0..10_000 {
        map.insert(&key(i), b"").unwrap();
    }
    assert_eq!(map.capacity(), capacity, "no growth after reserve");
}

#[test]
fn a_map_moves_to_another_thread() {
    let map = filled();
    let handle = std::thread::spawn(move || map.get(&key(7)).unwrap().map(<[u8]>::to_vec));
    assert_eq!(handle.join().unwrap(), Some(value(7)));
}

#[test]
fn version_is_major_one() {
    assert!(ehm::version().starts_with("1."), "{}", ehm::version());
}

// Compile-time checks: Map is Send and not Sync. The trait below has two
// blanket impls; naming its item for a Sync type is ambiguous and fails to
// compile, so this only builds while Map is not Sync.
trait AmbiguousIfSync<A> {
    fn some_item() {}
}
impl<T: ?Sized> AmbiguousIfSync<()> for T {}
impl<T: ?Sized + Sync> AmbiguousIfSync<u8> for T {}

#[test]
fn map_is_send_and_not_sync() {
    fn assert_send<T: Send>() {}
    assert_send::<Map>();
    <Map as AmbiguousIfSync<_>>::some_item();
}
