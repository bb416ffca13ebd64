#include "seed.hpp"

#include "hash.hpp"

#include <ctime>
#include <sys/random.h>

namespace ehm::detail {

uint64_t random_seed(const void *salt) {
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == static_cast<ssize_t>(sizeof seed))
        return seed;
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint64_t clock =
        static_cast<uint64_t>(now.tv_sec) * 1000000000ull + static_cast<uint64_t>(now.tv_nsec);
    return mix64(clock ^ mix64(reinterpret_cast<uintptr_t>(salt)));
}

} // namespace ehm::detail
