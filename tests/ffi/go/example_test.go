package ehm_test

import (
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
	fmt.Println("7-byte key in a 4-byte map:", err)

	// Output:
	// Japan -> Tokyo (<nil>)
	// Chile: ehm: key not found true
	// Japan -> Tokyo
	// Peru -> Lima
	// 7-byte key in a 4-byte map: ehm: invalid argument
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
