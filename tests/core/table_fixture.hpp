// A bare table whose slots hold the 8-byte hash of the key placed there, so
// tests can drive the schedule with chosen hashes and look keys up again.
#pragma once

#include "hash.hpp"
#include "memory.hpp"
#include "table.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace ehm_test {

using namespace ehm::detail;

class BareTable {
public:
    BareTable(uint64_t groups, double delta) : memory_(Memory::system_allocator()) {
        EXPECT_EQ(table_.init(memory_, groups, Delta::from_double(delta), sizeof(uint64_t)),
                  EHM_OK);
    }
    ~BareTable() { table_.release(memory_); }
    BareTable(const BareTable &) = delete;
    BareTable &operator=(const BareTable &) = delete;

    SlotRef place(uint64_t hash) {
        SlotRef where = table_.place(hash);
        std::memcpy(table_.slot(where), &hash, sizeof hash);
        return where;
    }
    // A needle for slots that hold their key's hash.
    struct HashNeedle {
        uint64_t hash;
        bool matches(const unsigned char *slot) const {
            uint64_t stored;
            std::memcpy(&stored, slot, sizeof stored);
            return stored == hash;
        }
        static size_t slot_size() { return sizeof(uint64_t); }
    };
    LookupResult lookup(uint64_t hash) const {
        LookupResult out;
        table_.lookup<Table::Purpose::find>(HashNeedle{hash}, out);
        return out;
    }
    std::vector<uint64_t> occupancy() const {
        std::vector<uint64_t> occ;
        for (unsigned i = 0; i < table_.shape().levels; ++i)
            occ.push_back(table_.level_occupied(i));
        return occ;
    }
    uint64_t last_insert_probes(uint64_t total_before) const {
        return table_.insert_stats().probes_total - total_before;
    }
    Table &table() { return table_; }
    const Table &table() const { return table_; }

private:
    Memory memory_;
    Table table_;
};

} // namespace ehm_test
