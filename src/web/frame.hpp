#pragma once

// A template rendered once with markers in place of its per-request values
// and kept as the text between them, so that a page's layout costs a few
// string copies instead of a Mustache render on every request (the layout
// is most of a page's bytes; see bench/http.sh).
//
// Build: render the template with marker(i) as the value of slot i, then
// split() the output. Use: fill() with the real values. A slot keeps the
// escaping its tag had: {{x}} gets HTML-escaped values, {{{x}}} raw ones.
// Everything that changes the template's *structure* (sections shown or
// not, list items) must be fixed when the frame is built: it is part of
// whatever key the caller caches frames under.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spire::web {

class Frame {
public:
    // The stand-in value for slot i (i < 64). It holds a '&', so an escaped
    // tag shows up as "&amp;" in the rendered text: that is how split()
    // knows which slots to escape.
    static std::string marker(std::size_t slot);

    // Throws std::invalid_argument when the rendered text holds a malformed
    // marker (a template bug).
    static Frame split(const std::string& rendered);

    // values[i] is slot i's value; a slot the template never shows may be
    // left out. Throws std::out_of_range when a shown slot has no value.
    std::string fill(std::span<const std::string_view> values) const;

private:
    struct Piece {
        std::string text;
        std::size_t slot = 0;
        bool escaped = false;
        bool is_slot = false;
    };
    std::vector<Piece> m_pieces;
    std::size_t m_text_size = 0;
};

} // namespace spire::web
