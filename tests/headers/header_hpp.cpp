// The C++ header on its own, included twice to check its guard;
// tests/headers/meson.build builds this file as C++17 (header_hpp_cpp17) and
// C++20 (header_hpp_cpp20). Explicit instantiation compiles every member of
// the class for each family of codecs.
#include <ehm/ehm.hpp>

#include <ehm/ehm.hpp>

template class ehm::map<std::string, int>;
template class ehm::map<std::uint64_t, double>;
template class ehm::map<std::string_view, std::vector<std::byte>>;

int main() {
    ehm::map<std::string, int> m{{"one", 1}};
    m.put("two", 2);
    const std::size_t hash = std::hash<ehm::map<std::string, int>>()(m);
    (void)hash;
    return m.size() == 2 && m.get("one") == 1 && m.begin() != m.end() ? 0 : 1;
}
