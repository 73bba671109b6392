#include "applications/search_text.hpp"

#include "http/utf8.hpp"

#include <libstemmer.h>
#include <memory>
#include <stdexcept>

namespace spire::applications {

namespace {

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t lower(char32_t cp) {
    if (cp >= 'A' && cp <= 'Z')
        return cp + 0x20;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 0x20;
    // Latin Extended-A: mostly upper/lower pairs at even/odd code points.
    if (cp >= 0x100 && cp <= 0x137 && cp % 2 == 0)
        return cp + 1;
    if (cp >= 0x139 && cp <= 0x148 && cp % 2 == 1)
        return cp + 1;
    if (cp >= 0x14A && cp <= 0x177 && cp % 2 == 0)
        return cp + 1;
    if (cp == 0x178)
        return 0xFF;
    if (cp >= 0x179 && cp <= 0x17E && cp % 2 == 1)
        return cp + 1;
    return cp;
}

// Letters and digits of the scripts we expect; SQLite's unicode61 tokenizer
// treats all of these as token characters too, so a quoted query word is
// never empty to it.
bool is_word_char(char32_t cp) {
    if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
        return true;
    if (cp >= 0xC0 && cp <= 0x24F)
        return cp != 0xD7 && cp != 0xF7;
    if (cp >= 0x391 && cp <= 0x3A9) // Greek capitals
        return cp != 0x3A2;
    if (cp >= 0x3B1 && cp <= 0x3C9) // Greek small
        return true;
    if (cp >= 0x410 && cp <= 0x44F) // Cyrillic basic
        return true;
    return false;
}

struct StemmerDeleter {
    void operator()(sb_stemmer* stemmer) const { sb_stemmer_delete(stemmer); }
};

sb_stemmer& thread_stemmer() {
    thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(
        sb_stemmer_new("norwegian", "UTF_8"));
    if (!stemmer)
        throw std::runtime_error("libstemmer: no Norwegian stemmer");
    return *stemmer;
}

} // namespace

std::string lower_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (!text.empty()) {
        auto length = http::utf8_sequence_length(text);
        if (!length) {
            out += text.front();
            text.remove_prefix(1);
            continue;
        }
        append_utf8(out, lower(*http::decode_utf8_code_point(text)));
        text.remove_prefix(*length);
    }
    return out;
}

std::vector<std::string> search_words(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    auto flush = [&] {
        if (!word.empty())
            words.push_back(std::move(word));
        word.clear();
    };
    while (!text.empty()) {
        auto length = http::utf8_sequence_length(text);
        if (!length) {
            flush();
            text.remove_prefix(1);
            continue;
        }
        const char32_t cp = *http::decode_utf8_code_point(text);
        text.remove_prefix(*length);
        if (!is_word_char(cp)) {
            flush();
            continue;
        }
        std::string encoded;
        append_utf8(encoded, lower(cp));
        if (word.size() + encoded.size() <= MAX_WORD_BYTES)
            word += encoded;
    }
    flush();
    return words;
}

std::string stem_norwegian(std::string_view word) {
    sb_stemmer& stemmer = thread_stemmer();
    const sb_symbol* stemmed = sb_stemmer_stem(
        &stemmer, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    if (stemmed == nullptr) // out of memory
        return std::string(word);
    return std::string(reinterpret_cast<const char*>(stemmed),
                       static_cast<std::size_t>(sb_stemmer_length(&stemmer)));
}

std::string fts5_document(std::string_view text) {
    std::string document;
    for (const auto& word : search_words(text)) {
        if (!document.empty())
            document += ' ';
        document += stem_norwegian(word);
    }
    return document;
}

std::string fts5_organisation_token(long long organisation_id) {
    return "o" + std::to_string(organisation_id);
}

std::string fts5_match_query(std::string_view input) {
    std::string query;
    std::size_t count = 0;
    for (const auto& word : search_words(input)) {
        if (count == MAX_QUERY_WORDS)
            break;
        const std::string stem = stem_norwegian(word);
        if (stem.empty())
            continue;
        if (!query.empty())
            query += ' ';
        // Words hold only letters and digits, so no '"' to double; quoting
        // keeps FTS5 from reading AND, OR, NOT, NEAR or column names.
        query += '"';
        query += stem;
        query += '"';
        ++count;
    }
    return query;
}

std::string search_body(const std::vector<std::string_view>& parts) {
    std::string body;
    for (auto part : parts) {
        if (part.empty())
            continue;
        if (!body.empty())
            body += '\n';
        body += part;
    }
    return body;
}

} // namespace spire::applications
