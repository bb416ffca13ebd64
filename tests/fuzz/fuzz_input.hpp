// What the fuzz targets share: a reader that turns the fuzzer's bytes into
// choices, and the check that stops the run when libehm breaks its contract.
//
// The reader never fails: past the end of the input every read yields zeros,
// so any byte string, the empty one included, decodes to a valid program.
#ifndef EHM_TESTS_FUZZ_FUZZ_INPUT_HPP
#define EHM_TESTS_FUZZ_FUZZ_INPUT_HPP

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace ehm_fuzz {

class FuzzInput {
public:
    FuzzInput(const uint8_t *data, size_t size) : data_(data), size_(size) {}

    bool exhausted() const { return offset_ >= size_; }

    uint8_t byte() { return exhausted() ? 0 : data_[offset_++]; }

    // `count` bytes (at most 8), little-endian.
    uint64_t bits(unsigned count) {
        uint64_t value = 0;
        for (unsigned i = 0; i < count; ++i) value |= uint64_t{byte()} << (8 * i);
        return value;
    }

    uint32_t u32() { return static_cast<uint32_t>(bits(4)); }
    uint64_t u64() { return bits(8); }

    // A value in [0, bound), bound >= 1, from one or two bytes.
    size_t below(size_t bound) {
        const uint64_t raw = bound <= 256 ? bits(1) : bits(2);
        return static_cast<size_t>(raw % bound);
    }

    // `length` bytes, zero-filled past the end of the input.
    std::string bytes(size_t length) {
        std::string out(length, '\0');
        for (size_t i = 0; i < length && !exhausted(); ++i) out[i] = static_cast<char>(byte());
        return out;
    }

private:
    const uint8_t *data_;
    size_t size_;
    size_t offset_ = 0;
};

[[noreturn]] inline void fail(const char *file, int line, const char *condition) {
    std::fprintf(stderr, "%s:%d: contract broken: %s\n", file, line, condition);
    std::fflush(stderr);
    std::abort();
}

} // namespace ehm_fuzz

// A broken contract aborts, which the fuzzer records as a crash with its input.
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) ::ehm_fuzz::fail(__FILE__, __LINE__, #condition);                        \
    } while (0)

#endif // EHM_TESTS_FUZZ_FUZZ_INPUT_HPP
