// Reads /proc/self/smaps: what Linux says of the mapping that holds an address
// (its size, how much of it sits on huge pages, its VmFlags). Shared by the
// huge-page test and the huge-page benchmark.
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

namespace ehm_test {

// The text after "`field`:" in the entry of the mapping that contains
// `address`; false where there is no such file, mapping or field.
inline bool smaps_field(const void *address, const std::string &field, std::string &out) {
    const auto at = reinterpret_cast<uintptr_t>(address);
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool inside = false;
    while (std::getline(smaps, line)) {
        uintptr_t start = 0, end = 0;
        char dash = 0;
        std::istringstream range(line);
        if (range >> std::hex >> start >> dash >> end && dash == '-' &&
            line.find(':') > line.find(' ')) { // a mapping's header line, not a field
            inside = start <= at && at < end;
            continue;
        }
        if (inside && line.rfind(field + ":", 0) == 0) {
            out = line.substr(field.size() + 1);
            return true;
        }
    }
    return false;
}

} // namespace ehm_test
