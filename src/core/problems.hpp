#pragma once

// Collects the field errors found while checking an input (a file, a form),
// each with its place, and turns them into one Invalid error. `limit` keeps
// the report readable for huge inputs: the first `limit` are kept, all are
// counted, and the message says how many were left out.

#include "core/error.hpp"

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spire {

class Problems {
public:
    explicit Problems(std::size_t limit = std::numeric_limits<std::size_t>::max())
        : m_limit(limit) {}

    void add(std::string field, std::string message) {
        if (m_fields.size() < m_limit)
            m_fields.push_back({std::move(field), std::move(message)});
        ++m_count;
    }
    bool any() const { return m_count != 0; }

    // `summary` heads the message ("The ranking file is not valid").
    Error error(std::string_view summary) && {
        std::string message(summary);
        if (m_count > m_fields.size())
            message += " (" + std::to_string(m_count) + " problems, the first " +
                       std::to_string(m_fields.size()) + " shown)";
        return Error::invalid(std::move(message), std::move(m_fields));
    }

private:
    std::size_t m_limit;
    std::vector<FieldError> m_fields;
    std::size_t m_count = 0;
};

} // namespace spire
