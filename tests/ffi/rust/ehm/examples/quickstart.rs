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

    // Errors are values of ehm::Error.
    let mut ids = Map::with_config(&Config { key_size: 4, ..Config::default() })?;
    match ids.insert(b"toolong", b"x") {
        Err(err) => println!("7-byte key in a 4-byte map: {}", err),
        Ok(()) => println!("unexpected success"),
    }
    Ok(())
}
