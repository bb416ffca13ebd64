// Package ehm binds libehm, the elastic-hashing hash map with a stable C ABI,
// through cgo and pkg-config.
//
// Keys and values are byte slices. The map copies what it is given, and Get,
// Range and Upsert hand back copies too, so no slice ever aliases C memory and C
// never keeps a Go pointer: Go memory is passed to C only for the duration of
// one call. A Map holds C memory; Close frees it, and a finalizer does so for
// a Map that becomes unreachable unclosed, as a backstop.
//
// A failing call's error carries the library's message saying why (from
// ehm_last_error, read on the OS thread that made the call): a *CallError
// wrapping the status, which errors.Is still matches.
//
// A Map is not safe for concurrent use, like a Go map: guard it with a mutex.
package ehm

/*
#cgo pkg-config: ehm
#include <ehm/ehm.h>
#include <stdlib.h>
*/
import "C"

import (
	"errors"
	"runtime"
	"sync/atomic"
	"unsafe"
)

// Error is a libehm status code other than success; compare with errors.Is.
type Error int

// The libehm status codes.
const (
	ErrNotFound Error = C.EHM_NOTFOUND // the key is not in the map
	ErrInvalid  Error = C.EHM_EINVAL   // bad argument or invalid config
	ErrNoMemory Error = C.EHM_ENOMEM   // an allocation failed; nothing changed
	ErrRange    Error = C.EHM_ERANGE   // a buffer too small
	ErrTooBig   Error = C.EHM_ETOOBIG  // a length or capacity beyond the library's limits
	ErrVersion  Error = C.EHM_EVERSION // a struct from a newer layout
	ErrIterOver Error = C.EHM_ITEROVER // an iteration cursor passed the last entry
	ErrExists   Error = C.EHM_EXISTS   // Insert: the key is already present (libehm 1.2)
)

// Errors of the binding itself, with no C status behind them.
var (
	ErrClosed   = errors.New("ehm: map is closed")
	ErrModified = errors.New("ehm: map changed during Range")
)

func (e Error) Error() string {
	// ehm_strerror returns static storage for every status, never NULL.
	return "ehm: " + C.GoString(C.ehm_strerror(C.int(e)))
}

// CallError is a failed call's status with the library's message saying why,
// e.g. "ehm_put: key_len is 3 but the map's key_size is 4". errors.Is(err,
// ErrInvalid) and errors.As(err, &code) see its Status through Unwrap.
type CallError struct {
	Status  Error
	Message string
}

func (e *CallError) Error() string {
	return e.Status.Error() + ": " + e.Message
}

func (e *CallError) Unwrap() error {
	return e.Status
}

// check is the error of a status. A failure's message comes from
// ehm_last_error, which is per OS thread: the caller holds its thread with
// lockThread from before the call until check returns. Statuses that are
// outcomes (ErrNotFound, ErrExists) have no message and stay plain Errors.
func check(status C.int) error {
	if status >= 0 {
		return nil
	}
	if message := C.GoString(C.ehm_last_error()); message != "" {
		return &CallError{Status: Error(status), Message: message}
	}
	return Error(status)
}

// lockThread keeps the goroutine on its OS thread until the returned function
// runs, so that check reads the ehm_last_error of the call it follows:
//
//	defer lockThread()()
func lockThread() func() {
	runtime.LockOSThread()
	return runtime.UnlockOSThread
}

// Version is the library's version, e.g. "1.0.0".
func Version() string {
	return C.GoString(C.ehm_version_string())
}

// Config holds the settings of a new map; the zero value means defaults.
type Config struct {
	Capacity  uint64  // entries held before the first growth; 0 = a small default
	Delta     float64 // free fraction kept before growth, 0 < Delta < 1; 0 = the default
	FixedSeed bool    // use Seed instead of a random per-map seed
	Seed      uint64
	KeySize   uint32 // 0 = variable-length keys; N > 0 = every key is N bytes
	ValueSize uint32 // 0 = variable-length values; N > 0 = every value is N bytes
	// NoHugePages keeps the table on ordinary pages (EHM_FLAG_NO_HUGE_PAGES,
	// libehm 1.2). By default, on Linux, a map asks for transparent huge pages
	// for tables of 4 MiB or more, rounded up to whole 2 MiB pages, so that
	// lookups in a large table miss the TLB less.
	NoHugePages bool
}

func (cfg Config) raw() C.ehm_config {
	var raw C.ehm_config
	C.ehm_config_init(&raw)
	raw.capacity = C.uint64_t(cfg.Capacity)
	if cfg.Delta != 0 {
		raw.delta = C.double(cfg.Delta)
	}
	if cfg.FixedSeed {
		raw.flags |= C.EHM_FLAG_FIXED_SEED
		raw.seed = C.uint64_t(cfg.Seed)
	}
	if cfg.NoHugePages {
		raw.flags |= C.EHM_FLAG_NO_HUGE_PAGES
	}
	raw.key_size = C.uint32_t(cfg.KeySize)
	raw.value_size = C.uint32_t(cfg.ValueSize)
	return raw
}

// Map is a hash map from byte strings to byte strings.
type Map struct {
	handle *C.ehm_map
	// Bumped by every change, so that Range notices one made by its callback.
	mutations uint64
	// The configured value size: the length of the value Upsert hands out.
	valueSize int
}

// finalizedMaps counts maps freed by the finalizer instead of Close.
var finalizedMaps atomic.Uint64

// New creates a map with the default configuration.
func New() (*Map, error) {
	return NewWithConfig(Config{})
}

// NewWithConfig creates a map with the given configuration.
func NewWithConfig(cfg Config) (*Map, error) {
	raw := cfg.raw()
	var handle *C.ehm_map
	defer lockThread()()
	if err := check(C.ehm_create(&handle, &raw)); err != nil {
		return nil, err
	}
	m := &Map{handle: handle, valueSize: int(cfg.ValueSize)}
	runtime.SetFinalizer(m, finalize)
	return m, nil
}

func finalize(m *Map) {
	if m.handle != nil {
		finalizedMaps.Add(1)
		m.Close()
	}
}

// Close frees the map's memory. Closing twice is harmless; every other
// method of a closed map returns ErrClosed.
func (m *Map) Close() error {
	if m.handle != nil {
		C.ehm_destroy(m.handle)
		m.handle = nil
		m.mutations++
		runtime.SetFinalizer(m, nil)
	}
	return nil
}

// bytesArg is a slice as a C (pointer, length) blob; nil for the empty one.
func bytesArg(b []byte) (unsafe.Pointer, C.size_t) {
	if len(b) == 0 {
		return nil, 0
	}
	return unsafe.Pointer(&b[0]), C.size_t(len(b))
}

// copyOut copies n bytes of C memory into a new Go slice.
func copyOut(p unsafe.Pointer, n C.size_t) []byte {
	out := make([]byte, int(n))
	if n > 0 {
		copy(out, unsafe.Slice((*byte)(p), int(n)))
	}
	return out
}

// Put inserts key, or replaces its value. On error the map is unchanged.
func (m *Map) Put(key, value []byte) error {
	defer runtime.KeepAlive(m) // the finalizer must not run during the call
	if m.handle == nil {
		return ErrClosed
	}
	defer lockThread()()
	k, kl := bytesArg(key)
	v, vl := bytesArg(value)
	if err := check(C.ehm_put(m.handle, k, kl, v, vl)); err != nil {
		return err
	}
	m.mutations++
	return nil
}

// Insert inserts key only if it is absent, with one lookup (ehm_insert). If
// key is present it returns ErrExists, and the map keeps the key's value.
func (m *Map) Insert(key, value []byte) error {
	defer runtime.KeepAlive(m)
	if m.handle == nil {
		return ErrClosed
	}
	k, kl := bytesArg(key)
	v, vl := bytesArg(value)
	defer lockThread()()
	if err := check(C.ehm_insert(m.handle, k, kl, v, vl)); err != nil {
		return err
	}
	m.mutations++
	return nil
}

// Upsert finds key, or inserts it with a value of zero bytes, with one lookup
// (ehm_upsert), then calls update with a copy of the value and writes back
// what update leaves in it; inserted reports whether the key was new. Only
// for maps with a fixed Config.ValueSize; others refuse with ErrInvalid.
// update may be nil; it must not change the map: Upsert then returns
// ErrModified and writes nothing back. Counting:
//
//	m.Upsert(word, func(v []byte) {
//		binary.LittleEndian.PutUint64(v, binary.LittleEndian.Uint64(v)+1)
//	})
func (m *Map) Upsert(key []byte, update func(value []byte)) (inserted bool, err error) {
	defer runtime.KeepAlive(m)
	if m.handle == nil {
		return false, ErrClosed
	}
	k, kl := bytesArg(key)
	var v unsafe.Pointer
	var added C.int
	err = func() error {
		defer lockThread()()
		return check(C.ehm_upsert(m.handle, k, kl, &v, &added))
	}()
	if err != nil {
		return false, err
	}
	inserted = added != 0
	if inserted {
		m.mutations++
	}
	if update == nil {
		return inserted, nil
	}
	// The value stays valid, and writable, until the next change of the map.
	value := copyOut(v, C.size_t(m.valueSize))
	before := m.mutations
	update(value)
	if m.mutations != before {
		return inserted, ErrModified
	}
	copy(unsafe.Slice((*byte)(v), m.valueSize), value)
	return inserted, nil
}

// Get returns a copy of the value of key, or ErrNotFound.
func (m *Map) Get(key []byte) ([]byte, error) {
	defer runtime.KeepAlive(m)
	if m.handle == nil {
		return nil, ErrClosed
	}
	defer lockThread()()
	k, kl := bytesArg(key)
	var v unsafe.Pointer
	var vl C.size_t
	if err := check(C.ehm_get(m.handle, k, kl, &v, &vl)); err != nil {
		return nil, err
	}
	return copyOut(v, vl), nil
}

// GetMany looks up every key in one call to ehm_get_many, which overlaps the
// cache misses of the lookups: faster than a loop of Get once the map
// outgrows the CPU caches. found[i] reports whether keys[i] is in the map,
// and values[i] is then a copy of its value (nil otherwise). A bad key (one
// of the wrong size in a fixed-size map, say) fails the whole call with its
// error. The keys are copied into C memory for the call, since C may not
// hold Go pointers inside Go memory.
func (m *Map) GetMany(keys [][]byte) (values [][]byte, found []bool, err error) {
	defer runtime.KeepAlive(m)
	if m.handle == nil {
		return nil, nil, ErrClosed
	}
	n := len(keys)
	values = make([][]byte, n)
	found = make([]bool, n)
	if n == 0 {
		return values, found, nil
	}
	total := 0
	for _, k := range keys {
		total += len(k)
	}
	// One C block: the key pointers, the value views, then the key bytes.
	ptrSize := int(unsafe.Sizeof(unsafe.Pointer(nil)))
	block := C.malloc(C.size_t(2*n*ptrSize + total + 1))
	if block == nil {
		return nil, nil, ErrNoMemory
	}
	defer C.free(block)
	keyPtrs := unsafe.Slice((*unsafe.Pointer)(block), n)
	views := unsafe.Slice((*unsafe.Pointer)(unsafe.Add(block, n*ptrSize)), n)
	keyBytes := unsafe.Slice((*byte)(unsafe.Add(block, 2*n*ptrSize)), total+1)
	keyLens := make([]C.size_t, n)
	viewLens := make([]C.size_t, n)
	statuses := make([]C.int, n)
	at := 0
	for i, k := range keys {
		copy(keyBytes[at:], k)
		keyPtrs[i] = unsafe.Pointer(&keyBytes[at])
		keyLens[i] = C.size_t(len(k))
		at += len(k)
	}
	defer lockThread()()
	status := C.ehm_get_many(m.handle, C.size_t(n), (*unsafe.Pointer)(block), &keyLens[0],
		(*unsafe.Pointer)(unsafe.Add(block, n*ptrSize)), &viewLens[0], &statuses[0])
	if err := check(status); err != nil {
		return nil, nil, err
	}
	for i := range keys {
		switch statuses[i] {
		case C.EHM_OK:
			values[i] = copyOut(views[i], viewLens[i])
			found[i] = true
		case C.EHM_NOTFOUND:
		default:
			return nil, nil, Error(statuses[i])
		}
	}
	return values, found, nil
}

// Contains reports whether key is in the map.
func (m *Map) Contains(key []byte) (bool, error) {
	defer runtime.KeepAlive(m)
	if m.handle == nil {
		return false, ErrClosed
	}
	defer lockThread()()
	k, kl := bytesArg(key)
	status := C.ehm_contains(m.handle, k, kl)
	return status == 1, check(status)
}

// Remove deletes key, or returns ErrNotFound.
func (m *Map) Remove(key []byte) error {
	defer runtime.KeepAlive(m)
	if m.handle == nil {
		return ErrClosed
	}
	defer lockThread()()
	k, kl := bytesArg(key)
	if err := check(C.ehm_remove(m.handle, k, kl)); err != nil {
		return err
	}
	m.mutations++
	return nil
}

// Len is the number of entries; 0 for a closed map.
func (m *Map) Len() int {
	defer runtime.KeepAlive(m)
	return int(C.ehm_size(m.handle))
}

// Clear removes every entry and keeps the capacity.
func (m *Map) Clear() error {
	defer runtime.KeepAlive(m)
	if m.handle == nil {
		return ErrClosed
	}
	defer lockThread()()
	m.mutations++
	return check(C.ehm_clear(m.handle))
}

// next copies out the entry after *cursor; ok is false past the last one.
func (m *Map) next(cursor *C.size_t) (key, value []byte, ok bool, err error) {
	var k, v unsafe.Pointer
	var kl, vl C.size_t
	defer lockThread()()
	status := C.ehm_next(m.handle, cursor, &k, &kl, &v, &vl)
	if status == C.EHM_ITEROVER {
		return nil, nil, false, nil
	}
	if err := check(status); err != nil {
		return nil, nil, false, err
	}
	return copyOut(k, kl), copyOut(v, vl), true, nil
}

// Range calls fn with a copy of every entry, in an unspecified order, until
// fn returns false. fn must not change the map: Range then stops with
// ErrModified. To delete entries while iterating, use DeleteFunc.
func (m *Map) Range(fn func(key, value []byte) bool) error {
	defer runtime.KeepAlive(m)
	if m.handle == nil {
		return ErrClosed
	}
	var cursor C.size_t
	start := m.mutations
	for {
		key, value, ok, err := m.next(&cursor)
		if !ok || err != nil {
			return err
		}
		if !fn(key, value) {
			return nil
		}
		if m.mutations != start {
			return ErrModified
		}
	}
}

// DeleteFunc removes, in one pass, every entry for which del returns true.
// del must not change the map itself: DeleteFunc then stops with ErrModified.
func (m *Map) DeleteFunc(del func(key, value []byte) bool) error {
	defer runtime.KeepAlive(m)
	if m.handle == nil {
		return ErrClosed
	}
	var cursor C.size_t
	for {
		key, value, ok, err := m.next(&cursor)
		if !ok || err != nil {
			return err
		}
		before := m.mutations
		doomed := del(key, value)
		if m.mutations != before {
			return ErrModified
		}
		if !doomed {
			continue
		}
		// Removing the entry just visited keeps the cursor valid.
		if err := m.Remove(key); err != nil {
			return err
		}
	}
}
