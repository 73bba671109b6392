#include "web/frame.hpp"

#include "web/templates.hpp"

#include <stdexcept>

namespace spire::web {

namespace {

// Control characters that never occur in our templates' own text.
constexpr char MARK_START = '\x1e';
constexpr char MARK_END = '\x1f';
constexpr std::string_view ESCAPED_AMP = "&amp;";

} // namespace

std::string Frame::marker(std::size_t slot) {
    if (slot >= 64)
        throw std::invalid_argument("Frame::marker: at most 64 slots");
    std::string text;
    text += MARK_START;
    text += static_cast<char>('0' + slot);
    text += '&';
    text += MARK_END;
    return text;
}

Frame Frame::split(const std::string& rendered) {
    Frame frame;
    std::size_t position = 0;
    while (true) {
        std::size_t start = rendered.find(MARK_START, position);
        Piece text{rendered.substr(position, start == std::string::npos ? std::string::npos
                                                                        : start - position)};
        frame.m_text_size += text.text.size();
        frame.m_pieces.push_back(std::move(text));
        if (start == std::string::npos)
            return frame;
        std::size_t end = rendered.find(MARK_END, start);
        if (end == std::string::npos || end < start + 3)
            throw std::invalid_argument("Frame::split: malformed marker");
        std::string_view inside(rendered.data() + start + 1, end - start - 1);
        Piece slot;
        slot.is_slot = true;
        slot.slot = static_cast<std::size_t>(inside[0] - '0');
        std::string_view amp = inside.substr(1);
        if (slot.slot >= 64 || (amp != "&" && amp != ESCAPED_AMP))
            throw std::invalid_argument("Frame::split: malformed marker");
        slot.escaped = amp == ESCAPED_AMP;
        frame.m_pieces.push_back(std::move(slot));
        position = end + 1;
    }
}

std::string Frame::fill(std::span<const std::string_view> values) const {
    std::size_t size = m_text_size;
    for (std::string_view value : values)
        size += value.size() + value.size() / 8;
    std::string out;
    out.reserve(size);
    for (const Piece& piece : m_pieces) {
        if (!piece.is_slot) {
            out += piece.text;
            continue;
        }
        if (piece.slot >= values.size())
            throw std::out_of_range("Frame::fill: no value for a slot the template shows");
        if (piece.escaped)
            append_html_escaped(out, values[piece.slot]);
        else
            out += values[piece.slot];
    }
    return out;
}

} // namespace spire::web
