// The Go binding against the installed libehm: entries, lookups that hit and
// miss, removal, iteration, error codes, closing and the finalizer backstop.
package ehm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

const entries = 2000

func key(i int) []byte   { return []byte(fmt.Sprintf("key-%d", i)) }
func value(i int) []byte { return []byte(fmt.Sprintf("value-%d", i*7)) }

func filled(t *testing.T) *Map {
	t.Helper()
	m, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	for i := 0; i < entries; i++ {
		if err := m.Put(key(i), value(i)); err != nil {
			t.Fatalf("Put %d: %v", i, err)
		}
	}
	return m
}

func TestPutAndGetHits(t *testing.T) {
	m := filled(t)
	if m.Len() != entries {
		t.Fatalf("Len = %d, want %d", m.Len(), entries)
	}
	for i := 0; i < entries; i++ {
		got, err := m.Get(key(i))
		if err != nil || !bytes.Equal(got, value(i)) {
			t.Fatalf("Get %d = %q, %v; want %q", i, got, err, value(i))
		}
	}
}

func TestGetReturnsACopy(t *testing.T) {
	m := filled(t)
	got, _ := m.Get(key(1))
	got[0] = 'X'
	again, _ := m.Get(key(1))
	if !bytes.Equal(again, value(1)) {
		t.Fatalf("changing a returned value changed the map: %q", again)
	}
	if err := m.Put(key(1), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[1:], value(1)[1:]) {
		t.Fatalf("a returned value changed with the map: %q", got)
	}
}

func TestGetMiss(t *testing.T) {
	m := filled(t)
	got, err := m.Get([]byte("absent"))
	if !errors.Is(err, ErrNotFound) || got != nil {
		t.Fatalf("Get absent = %q, %v; want ErrNotFound", got, err)
	}
	if ok, err := m.Contains([]byte("absent")); ok || err != nil {
		t.Fatalf("Contains absent = %v, %v", ok, err)
	}
	if ok, err := m.Contains(key(3)); !ok || err != nil {
		t.Fatalf("Contains present = %v, %v", ok, err)
	}
}

func TestEmptyKeyAndValue(t *testing.T) {
	m := filled(t)
	if err := m.Put(nil, []byte{}); err != nil {
		t.Fatal(err)
	}
	got, err := m.Get([]byte{})
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Get empty = %q (nil: %v), %v", got, got == nil, err)
	}
}

func TestRemove(t *testing.T) {
	m := filled(t)
	if err := m.Remove(key(9)); err != nil {
		t.Fatal(err)
	}
	if err := m.Remove(key(9)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Remove = %v, want ErrNotFound", err)
	}
	if _, err := m.Get(key(9)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get removed = %v", err)
	}
	if m.Len() != entries-1 {
		t.Fatalf("Len = %d", m.Len())
	}
	if err := m.Clear(); err != nil || m.Len() != 0 {
		t.Fatalf("Clear: %v, Len %d", err, m.Len())
	}
}

func TestGetManyMatchesGet(t *testing.T) {
	m := filled(t)
	// Hits and misses interleaved, a repeated key, more keys than one batch.
	var keys [][]byte
	for i := 0; i < 3*entries; i += 2 {
		keys = append(keys, key(i))
	}
	keys = append(keys, key(0))
	values, found, err := m.GetMany(keys)
	if err != nil || len(values) != len(keys) || len(found) != len(keys) {
		t.Fatalf("GetMany: %d values, %d found, %v", len(values), len(found), err)
	}
	for i, k := range keys {
		want, err := m.Get(k)
		if found[i] != (err == nil) || !bytes.Equal(values[i], want) {
			t.Fatalf("key %q: GetMany %q, %v; Get %q, %v", k, values[i], found[i], want, err)
		}
		if !found[i] && values[i] != nil {
			t.Fatalf("key %q is absent but has value %q", k, values[i])
		}
	}
}

func TestGetManyCopiesAndEmptyBlobs(t *testing.T) {
	m := filled(t)
	if err := m.Put(nil, nil); err != nil {
		t.Fatal(err)
	}
	values, found, err := m.GetMany([][]byte{{}, key(1), []byte("absent")})
	if err != nil || !found[0] || values[0] == nil || len(values[0]) != 0 ||
		!found[1] || found[2] {
		t.Fatalf("GetMany = %q, %v, %v", values, found, err)
	}
	values[1][0] = 'X'
	if again, _ := m.Get(key(1)); !bytes.Equal(again, value(1)) {
		t.Fatalf("changing a returned value changed the map: %q", again)
	}
	values, found, err = m.GetMany(nil)
	if err != nil || len(values) != 0 || len(found) != 0 {
		t.Fatalf("GetMany(nil) = %q, %v, %v", values, found, err)
	}
}

func TestGetManyBadKeyFailsTheCall(t *testing.T) {
	m, err := NewWithConfig(Config{KeySize: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Put([]byte("abcd"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	values, found, err := m.GetMany([][]byte{[]byte("abcd"), []byte("abc")})
	if !errors.Is(err, ErrInvalid) || values != nil || found != nil {
		t.Fatalf("a 3-byte key in a 4-byte map: %q, %v, %v; want ErrInvalid", values, found, err)
	}
	m.Close()
	if _, _, err := m.GetMany([][]byte{[]byte("abcd")}); err != ErrClosed {
		t.Fatalf("GetMany after Close: %v", err)
	}
}

func TestRangeVisitsEveryEntryOnce(t *testing.T) {
	m := filled(t)
	seen := map[string]string{}
	err := m.Range(func(k, v []byte) bool {
		if _, dup := seen[string(k)]; dup {
			t.Errorf("visited twice: %q", k)
		}
		seen[string(k)] = string(v)
		return true
	})
	if err != nil || len(seen) != entries {
		t.Fatalf("Range: %v, %d entries", err, len(seen))
	}
	for i := 0; i < entries; i++ {
		if seen[string(key(i))] != string(value(i)) {
			t.Fatalf("entry %d: %q", i, seen[string(key(i))])
		}
	}
}

func TestRangeStopsEarlyAndDetectsChanges(t *testing.T) {
	m := filled(t)
	calls := 0
	if err := m.Range(func(k, v []byte) bool { calls++; return calls < 5 }); err != nil {
		t.Fatal(err)
	}
	if calls != 5 {
		t.Fatalf("fn called %d times after returning false at 5", calls)
	}
	err := m.Range(func(k, v []byte) bool {
		m.Put([]byte("new"), nil)
		return true
	})
	if !errors.Is(err, ErrModified) {
		t.Fatalf("Range with a Put in fn = %v, want ErrModified", err)
	}
}

func TestDeleteFunc(t *testing.T) {
	m := filled(t)
	err := m.DeleteFunc(func(k, v []byte) bool { return (k[len(k)-1]-'0')%2 == 1 })
	if err != nil || m.Len() != entries/2 {
		t.Fatalf("DeleteFunc: %v, Len %d", err, m.Len())
	}
	for i := 0; i < entries; i++ {
		if ok, _ := m.Contains(key(i)); ok != (i%2 == 0) {
			t.Fatalf("key %d present: %v", i, ok)
		}
	}
}

func TestErrorCodes(t *testing.T) {
	for _, cfg := range []Config{{Delta: 1.5}, {Delta: -0.1}} {
		if m, err := NewWithConfig(cfg); !errors.Is(err, ErrInvalid) || m != nil {
			t.Fatalf("NewWithConfig(%+v) = %v, %v; want ErrInvalid", cfg, m, err)
		}
	}
	if _, err := NewWithConfig(Config{Capacity: ^uint64(0)}); !errors.Is(err, ErrTooBig) {
		t.Fatalf("huge capacity: %v, want ErrTooBig", err)
	}
	m, err := NewWithConfig(Config{KeySize: 4, ValueSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Put([]byte("abc"), []byte("vv")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("3-byte key in a 4-byte map: %v", err)
	}
	if _, err := m.Get([]byte("abcde")); !errors.Is(err, ErrInvalid) {
		t.Fatalf("5-byte lookup in a 4-byte map: %v", err)
	}
	codes := []Error{ErrNotFound, ErrInvalid, ErrNoMemory, ErrRange, ErrTooBig, ErrVersion,
		ErrIterOver, ErrExists}
	texts := map[string]bool{}
	for _, code := range codes {
		if code >= 0 || !strings.HasPrefix(code.Error(), "ehm: ") {
			t.Fatalf("code %d: %q", int(code), code.Error())
		}
		texts[code.Error()] = true
	}
	if len(texts) != len(codes) {
		t.Fatalf("messages are not distinct: %v", texts)
	}
}

func TestFixedSeedReproducesOrder(t *testing.T) {
	order := func() []string {
		m, err := NewWithConfig(Config{FixedSeed: true, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		for i := 0; i < 100; i++ {
			m.Put(key(i), nil)
		}
		var keys []string
		m.Range(func(k, v []byte) bool { keys = append(keys, string(k)); return true })
		return keys
	}
	a, b := order(), order()
	if len(a) != 100 || strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("orders differ:\n%v\n%v", a, b)
	}
}

// Which pages hold the table cannot be seen from Go; that the option is
// accepted and leaves the map as it would be can: a table of several MiB, the
// size that huge pages are asked for, with the same seed and entries, holds
// them in the same order.
func TestNoHugePagesKeepsAWorkingMap(t *testing.T) {
	const wide = 300000
	order := func(noHugePages bool) []uint64 {
		m, err := NewWithConfig(Config{Capacity: wide, FixedSeed: true, Seed: 5, KeySize: 8,
			ValueSize: 8, NoHugePages: noHugePages})
		if err != nil {
			t.Fatalf("NewWithConfig(NoHugePages: %v): %v", noHugePages, err)
		}
		defer m.Close()
		k, v := make([]byte, 8), make([]byte, 8)
		for i := uint64(0); i < wide; i++ {
			binary.LittleEndian.PutUint64(k, i)
			binary.LittleEndian.PutUint64(v, i*3)
			if err := m.Put(k, v); err != nil {
				t.Fatalf("Put %d: %v", i, err)
			}
		}
		if m.Len() != wide {
			t.Fatalf("Len = %d, want %d", m.Len(), wide)
		}
		for i := uint64(0); i < wide; i += 997 {
			binary.LittleEndian.PutUint64(k, i)
			got, err := m.Get(k)
			if err != nil || binary.LittleEndian.Uint64(got) != i*3 {
				t.Fatalf("Get %d = %v, %v; want %d", i, got, err, i*3)
			}
		}
		var keys []uint64
		m.Range(func(k, v []byte) bool {
			keys = append(keys, binary.LittleEndian.Uint64(k))
			return true
		})
		return keys
	}
	plain, huge := order(true), order(false)
	if len(plain) != wide || len(huge) != wide {
		t.Fatalf("Range visited %d and %d entries, want %d", len(plain), len(huge), wide)
	}
	for i := range plain {
		if plain[i] != huge[i] {
			t.Fatalf("entry %d: key %d on ordinary pages, %d by default", i, plain[i], huge[i])
		}
	}
}

func TestClosedMap(t *testing.T) {
	m, err := New()
	if err != nil {
		t.Fatal(err)
	}
	m.Put([]byte("k"), []byte("v"))
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := m.Put([]byte("k"), nil); err != ErrClosed {
		t.Fatalf("Put after Close: %v", err)
	}
	if _, err := m.Get([]byte("k")); err != ErrClosed {
		t.Fatalf("Get after Close: %v", err)
	}
	if _, err := m.Upsert([]byte("k"), nil); err != ErrClosed {
		t.Fatalf("Upsert after Close: %v", err)
	}
	if err := m.Range(func(k, v []byte) bool { return true }); err != ErrClosed {
		t.Fatalf("Range after Close: %v", err)
	}
	if m.Len() != 0 {
		t.Fatalf("Len after Close: %d", m.Len())
	}
}

// Maps dropped without Close are freed by the finalizer once collected.
func TestFinalizerFreesUnclosedMaps(t *testing.T) {
	before := finalizedMaps.Load()
	func() {
		for i := 0; i < 50; i++ {
			m, err := New()
			if err != nil {
				t.Fatal(err)
			}
			m.Put(key(i), value(i))
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for finalizedMaps.Load() == before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if finalizedMaps.Load() == before {
		t.Fatal("no unreachable map was finalized within 10s")
	}
}

func TestVersion(t *testing.T) {
	if !strings.HasPrefix(Version(), "1.") {
		t.Fatalf("Version = %q", Version())
	}
}

func TestInsertOnlyWhenAbsent(t *testing.T) {
	m, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Insert([]byte("k"), []byte("first")); err != nil {
		t.Fatalf("Insert absent: %v", err)
	}
	err = m.Insert([]byte("k"), []byte("second"))
	if err != ErrExists || !errors.Is(err, ErrExists) {
		t.Fatalf("Insert present = %v (%T), want ErrExists itself", err, err)
	}
	if got, _ := m.Get([]byte("k")); string(got) != "first" || m.Len() != 1 {
		t.Fatalf("a present key's value became %q, Len %d", got, m.Len())
	}
	if err := m.Insert(nil, nil); err != nil || m.Len() != 2 {
		t.Fatalf("Insert empty: %v, Len %d", err, m.Len())
	}
	m.Close()
	if err := m.Insert([]byte("k"), nil); err != ErrClosed {
		t.Fatalf("Insert after Close: %v", err)
	}
}

func TestUpsertCounts(t *testing.T) {
	m, err := NewWithConfig(Config{ValueSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	added := 0
	for _, word := range []string{"apple", "pear", "apple", "fig", "apple", "pear"} {
		inserted, err := m.Upsert([]byte(word), func(v []byte) {
			if len(v) != 8 {
				t.Fatalf("value of %d bytes", len(v))
			}
			binary.LittleEndian.PutUint64(v, binary.LittleEndian.Uint64(v)+1)
		})
		if err != nil {
			t.Fatalf("Upsert %s: %v", word, err)
		}
		if inserted {
			added++
		}
	}
	if added != 3 || m.Len() != 3 {
		t.Fatalf("%d inserted, Len %d; want 3", added, m.Len())
	}
	for word, want := range map[string]uint64{"apple": 3, "pear": 2, "fig": 1} {
		got, err := m.Get([]byte(word))
		if err != nil || binary.LittleEndian.Uint64(got) != want {
			t.Fatalf("%s: %v, %v; want %d", word, got, err, want)
		}
	}
	// A new key's value is zeroed; nil update only makes sure the key is there.
	if inserted, err := m.Upsert([]byte("kiwi"), nil); !inserted || err != nil {
		t.Fatalf("Upsert kiwi, nil: %v, %v", inserted, err)
	}
	if got, _ := m.Get([]byte("kiwi")); !bytes.Equal(got, make([]byte, 8)) {
		t.Fatalf("a new value is %v, want zeros", got)
	}
	_, err = m.Upsert([]byte("fig"), func(v []byte) { v[0] = 9; m.Put([]byte("plum"), v) })
	if !errors.Is(err, ErrModified) {
		t.Fatalf("Upsert with a Put in update = %v, want ErrModified", err)
	}
	if got, _ := m.Get([]byte("fig")); got[0] != 1 {
		t.Fatalf("a value written back after ErrModified: %v", got)
	}
}

func TestUpsertOnVariableValuesIsRefusedWithAMessage(t *testing.T) {
	m, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	called := false
	_, err = m.Upsert([]byte("k"), func([]byte) { called = true })
	var callErr *CallError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &callErr) || called {
		t.Fatalf("Upsert on a variable-value map = %v (%T), update called %v", err, err, called)
	}
	if callErr.Status != ErrInvalid || !strings.HasPrefix(callErr.Message, "ehm_upsert: ") ||
		!strings.Contains(callErr.Message, "value_size") {
		t.Fatalf("CallError %+v", *callErr)
	}
	if err.Error() != "ehm: invalid argument: "+callErr.Message {
		t.Fatalf("Error() = %q", err.Error())
	}
	if m.Len() != 0 {
		t.Fatalf("Len %d", m.Len())
	}
}

func TestBadKeyLengthErrorsCarryTheMessage(t *testing.T) {
	m, err := NewWithConfig(Config{KeySize: 4, ValueSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	value := make([]byte, 8)
	for name, call := range map[string]func() error{
		"ehm_put":    func() error { return m.Put([]byte("abc"), value) },
		"ehm_insert": func() error { return m.Insert([]byte("abc"), value) },
		"ehm_upsert": func() error { _, err := m.Upsert([]byte("abc"), nil); return err },
		"ehm_get":    func() error { _, err := m.Get([]byte("abc")); return err },
		"ehm_remove": func() error { return m.Remove([]byte("abc")) },
	} {
		err := call()
		var callErr *CallError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &callErr) {
			t.Fatalf("%s with a 3-byte key: %v (%T)", name, err, err)
		}
		if !strings.HasPrefix(callErr.Message, name+": ") ||
			!strings.Contains(callErr.Message, "key_size is 4") ||
			!strings.Contains(err.Error(), callErr.Message) {
			t.Fatalf("%s: message %q, error %q", name, callErr.Message, err.Error())
		}
	}
	// Outcomes carry no message and stay the plain codes.
	if _, err := m.Get([]byte("abcd")); err != ErrNotFound {
		t.Fatalf("Get absent = %v (%T), want ErrNotFound itself", err, err)
	}
	// A failed New says why, too.
	_, err = NewWithConfig(Config{Delta: 1.5})
	var callErr *CallError
	if !errors.As(err, &callErr) || !strings.Contains(callErr.Message, "delta") {
		t.Fatalf("NewWithConfig(Delta 1.5) = %v", err)
	}
}

// Failures on many goroutines at once each carry their own call's message:
// the message is read on the OS thread that made the call.
func TestMessagesStayWithTheirCall(t *testing.T) {
	const workers = 8
	done := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func(w int) {
			m, err := NewWithConfig(Config{KeySize: 4, ValueSize: 8})
			if err != nil {
				done <- err
				return
			}
			defer m.Close()
			for i := 0; i < 2000; i++ {
				n := 5 + (w+i)%20
				err := m.Put(make([]byte, n), make([]byte, 8))
				want := fmt.Sprintf("key_len is %d but", n)
				var callErr *CallError
				if !errors.As(err, &callErr) || !strings.Contains(callErr.Message, want) {
					done <- fmt.Errorf("%d-byte key: %v, want %q", n, err, want)
					return
				}
				runtime.Gosched()
			}
			done <- nil
		}(w)
	}
	for w := 0; w < workers; w++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
