// A core map of 8-byte keys and values with a fixed seed.
#pragma once

#include "map.hpp"

#include <gtest/gtest.h>

namespace ehm_test {

using namespace ehm::detail;

class CoreMap {
public:
    explicit CoreMap(double delta = 1.0 / 32, uint64_t capacity = 0, uint32_t key_size = 8) {
        Settings settings;
        settings.delta = Delta::from_double(delta);
        settings.seed = 7;
        settings.layout = EntryLayout::of(key_size, 8);
        EXPECT_EQ(Map::create(Memory::system_allocator(), settings, capacity, &map_), EHM_OK);
    }
    ~CoreMap() { Map::destroy(map_); }
    CoreMap(const CoreMap &) = delete;
    CoreMap &operator=(const CoreMap &) = delete;

    int put(uint64_t key, uint64_t value) { return map_->put(Blob{&key, 8}, Blob{&value, 8}); }
    int remove(uint64_t key) { return map_->remove(Blob{&key, 8}); }
    bool contains(uint64_t key) const {
        return map_->get(Blob{&key, 8}, nullptr) == EHM_OK;
    }
    ehm_stats stats() const {
        ehm_stats s{};
        map_->stats(s);
        return s;
    }
    Map &map() { return *map_; }

private:
    Map *map_ = nullptr;
};

} // namespace ehm_test
