// SeededHash hoists the seed's part of XXH3 out of each call; the hash must
// stay XXH3_64bits_withSeed bit for bit, at every length it has code for.
#include "hash.hpp"

#include <gtest/gtest.h>

#include <cstring>

using namespace ehm::detail;

namespace {

template <size_t N>
void expect_identical(uint64_t seed) {
    const SeededHash hasher(seed);
    unsigned char input[N];
    uint64_t x = seed ^ N;
    for (int round = 0; round < 2000; ++round) {
        for (size_t i = 0; i < N; ++i) input[i] = static_cast<unsigned char>(mix64(x += i + 1));
        ASSERT_EQ(hasher.template fixed<N>(input), XXH3_64bits_withSeed(input, N, seed))
            << "length " << N << " seed " << seed;
        ASSERT_EQ(hasher(input, N), XXH3_64bits_withSeed(input, N, seed));
    }
}

template <size_t... N>
void expect_identical_lengths(uint64_t seed, std::index_sequence<N...>) {
    (expect_identical<N + 1>(seed), ...);
}

} // namespace

TEST(SeededHash, MatchesXxh3WithSeedAtEveryFixedLength) {
    for (uint64_t seed : {uint64_t{0}, uint64_t{1}, uint64_t{0xFFFFFFFF},
                          uint64_t{0x123456789ABCDEF0}, ~uint64_t{0}, uint64_t{0x8000000000000000}})
        expect_identical_lengths(seed, std::make_index_sequence<40>{});
}
