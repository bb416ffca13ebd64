package ehm_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"

	"ehm"
)

func Example() {
	capitals, err := ehm.New()
	if err != nil {
		panic(err)
	}
	defer capitals.Close() // frees the C memory now; a finalizer is only a backstop

	for _, pair := range [][2]string{{"France", "Paris"}, {"Japan", "Tokyo"}, {"Peru", "Lima"}} {
		if err := capitals.Put([]byte(pair[0]), []byte(pair[1])); err != nil {
			panic(err)
		}
	}

	city, err := capitals.Get([]byte("Japan")) // a copy: safe to keep and modify
	fmt.Printf("Japan -> %s (%v)\n", city, err)
	_, err = capitals.Get([]byte("Chile"))
	fmt.Println("Chile:", err, errors.Is(err, ehm.ErrNotFound))

	if err := capitals.Remove([]byte("France")); err != nil {
		panic(err)
	}

	// Iteration order is unspecified; sort for a stable printout.
	var lines []string
	err = capitals.Range(func(country, city []byte) bool {
		lines = append(lines, fmt.Sprintf("%s -> %s", country, city))
		return true
	})
	if err != nil {
		panic(err)
	}
	sort.Strings(lines)
	for _, line := range lines {
		fmt.Println(line)
	}

	ids, err := ehm.NewWithConfig(ehm.Config{KeySize: 4})
	if err != nil {
		panic(err)
	}
	defer ids.Close()
	err = ids.Put([]byte("toolong"), []byte("x"))
	fmt.Println("7-byte key in a 4-byte map:", errors.Is(err, ehm.ErrInvalid))
	var callErr *ehm.CallError // the status, and the library's message saying why
	if errors.As(err, &callErr) {
		fmt.Println(callErr.Message)
	}

	// Output:
	// Japan -> Tokyo (<nil>)
	// Chile: ehm: key not found true
	// Japan -> Tokyo
	// Peru -> Lima
	// 7-byte key in a 4-byte map: true
	// ehm_put: key_len is 7 but the map's key_size is 4
}

func ExampleMap_Insert() {
	m, err := ehm.New()
	if err != nil {
		panic(err)
	}
	defer m.Close()

	// Insert only adds absent keys; a present key keeps its value.
	fmt.Println(m.Insert([]byte("Peru"), []byte("Lima")))
	err = m.Insert([]byte("Peru"), []byte("Cusco"))
	fmt.Println(err, errors.Is(err, ehm.ErrExists))
	city, _ := m.Get([]byte("Peru"))
	fmt.Printf("Peru -> %s\n", city)

	// Output:
	// <nil>
	// ehm: key already present true
	// Peru -> Lima
}

func ExampleMap_Upsert() {
	counts, err := ehm.NewWithConfig(ehm.Config{ValueSize: 8}) // Upsert needs a fixed value size
	if err != nil {
		panic(err)
	}
	defer counts.Close()

	// One lookup per word: a new word starts from eight zero bytes.
	for _, word := range []string{"to", "be", "or", "not", "to", "be"} {
		_, err := counts.Upsert([]byte(word), func(n []byte) {
			binary.LittleEndian.PutUint64(n, binary.LittleEndian.Uint64(n)+1)
		})
		if err != nil {
			panic(err)
		}
	}
	for _, word := range []string{"to", "or"} {
		n, _ := counts.Get([]byte(word))
		fmt.Printf("%s: %d\n", word, binary.LittleEndian.Uint64(n))
	}

	// A map with variable-length values refuses, and says why.
	names, err := ehm.New()
	if err != nil {
		panic(err)
	}
	defer names.Close()
	_, err = names.Upsert([]byte("x"), nil)
	fmt.Println(err)

	// Output:
	// to: 2
	// or: 1
	// ehm: invalid argument: ehm_upsert: the map's value_size is 0 (variable-length values); ehm_upsert needs a fixed value_size
}

func ExampleMap_GetMany() {
	stock, err := ehm.New()
	if err != nil {
		panic(err)
	}
	defer stock.Close()
	for _, item := range []string{"apples", "pears"} {
		if err := stock.Put([]byte(item), []byte("in stock")); err != nil {
			panic(err)
		}
	}

	// One call for the whole batch; found says which keys are present.
	keys := [][]byte{[]byte("apples"), []byte("plums"), []byte("pears")}
	values, found, err := stock.GetMany(keys)
	if err != nil {
		panic(err)
	}
	for i, k := range keys {
		if found[i] {
			fmt.Printf("%s: %s\n", k, values[i])
		} else {
			fmt.Printf("%s: not found\n", k)
		}
	}

	// Output:
	// apples: in stock
	// plums: not found
	// pears: in stock
}
