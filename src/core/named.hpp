#pragma once

// Tables that name an enum's values: the stored key ("risk_capital") and
// the English msgid shown to people ("Internal risk capital"), one lookup
// for each direction. Each module's model.cpp keeps its tables.

#include <cstddef>
#include <optional>
#include <string_view>

namespace spire {

template <class E>
struct Named {
    E value;
    std::string_view key;
    std::string_view label;
};

// A value missing from its table is a programming error; the first entry
// answers rather than a crash.
template <class E, std::size_t N>
std::string_view key_of(const Named<E> (&table)[N], E value) {
    for (const auto& entry : table) {
        if (entry.value == value)
            return entry.key;
    }
    return table[0].key;
}

template <class E, std::size_t N>
std::string_view label_of(const Named<E> (&table)[N], E value) {
    for (const auto& entry : table) {
        if (entry.value == value)
            return entry.label;
    }
    return table[0].label;
}

template <class E, std::size_t N>
std::optional<E> parse_named(const Named<E> (&table)[N], std::string_view key) {
    for (const auto& entry : table) {
        if (entry.key == key)
            return entry.value;
    }
    return std::nullopt;
}

} // namespace spire
