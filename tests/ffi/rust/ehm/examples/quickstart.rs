use ehm::{Config, Error, Map};

fn main() -> Result<(), Error> {
    let mut capitals = Map::new()?;
    capitals.insert(b"France", b"Paris")?;
    capitals.insert(b"Japan", b"Tokyo")?;
    capitals.insert(b"Peru", b"Lima")?;

    // A lookup borrows the map: the slice cannot outlive the next change.
    if let Some(city) = capitals.get(b"Japan")? {
        println!("Japan -> {}", String::from_utf8_lossy(city));
    }
    println!("Chile present: {}", capitals.get(b"Chile")?.is_some());

    println!("removed France: {}", capitals.remove(b"France")?);

    // Iteration order is unspecified; sort for a stable printout.
    let mut entries: Vec<_> = capitals.iter().collect();
    entries.sort();
    for (country, city) in entries {
        let (country, city) = (String::from_utf8_lossy(country), String::from_utf8_lossy(city));
        println!("{} -> {}", country, city);
    }

    // insert_if_absent keeps a present key's value: Ok(false).
    println!("Peru added again: {}", capitals.insert_if_absent(b"Peru", b"Cusco")?);

    // upsert: the value in place, zeroed when the key is new; here a counter.
    let mut counts = Map::with_config(&Config { value_size: 8, ..Config::default() })?;
    for word in ["to", "be", "or", "not", "to", "be"] {
        let (count, _inserted) = counts.upsert(word.as_bytes())?;
        let n = u64::from_ne_bytes(count[..].try_into().unwrap()) + 1;
        count.copy_from_slice(&n.to_ne_bytes());
    }
    if let Some(n) = counts.get(b"to")? {
        println!("\"to\" counted {} times", u64::from_ne_bytes(n.try_into().unwrap()));
    }

    // Errors are values of ehm::Error; ehm::Failure adds the library's message.
    let mut ids = Map::with_config(&Config { key_size: 4, ..Config::default() })?;
    match ids.insert(b"toolong", b"x") {
        Err(err) => println!("7-byte key in a 4-byte map: {}", err),
        Ok(()) => println!("unexpected success"),
    }
    if let Err(failure) = ids.insert_if_absent(b"toolong", b"x") {
        println!("status {}: {}", failure.status(), failure.message());
    }
    Ok(())
}
