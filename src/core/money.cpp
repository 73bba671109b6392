#include "core/money.hpp"

#include <limits>
#include <optional>
#include <vector>

namespace spire {

namespace {

// The input reduced to the characters that matter, one token per character.
enum class Token { Digit, Space, Comma, Dot, Minus, Letter, Other };

struct Lexed {
    Token token;
    char c; // the digit or letter (lower-case); 0 otherwise
};

// UTF-8 sequences that count as spaces or minus signs; anything else outside
// ASCII is Other.
std::optional<std::pair<Token, std::size_t>> wide_token(std::string_view text) {
    struct Wide {
        std::string_view bytes;
        Token token;
    };
    static constexpr Wide WIDE[] = {
        {"\u00a0", Token::Space}, // no-break space (nb-NO grouping)
        {"\u202f", Token::Space}, // narrow no-break space (newer CLDR data)
        {"\u2009", Token::Space}, // thin space
        {"\u2007", Token::Space}, // figure space
        {"\u2212", Token::Minus}, // minus sign
        {"\u2013", Token::Minus}, // en dash, as in "1 234,–"
    };
    for (const auto& wide : WIDE) {
        if (text.starts_with(wide.bytes))
            return std::pair{wide.token, wide.bytes.size()};
    }
    return std::nullopt;
}

std::vector<Lexed> lex(std::string_view text) {
    std::vector<Lexed> out;
    out.reserve(text.size());
    while (!text.empty()) {
        char c = text.front();
        if (c >= '0' && c <= '9') {
            out.push_back({Token::Digit, c});
        } else if (c == ' ' || c == '\t') {
            out.push_back({Token::Space, 0});
        } else if (c == ',') {
            out.push_back({Token::Comma, 0});
        } else if (c == '.') {
            out.push_back({Token::Dot, 0});
        } else if (c == '-') {
            out.push_back({Token::Minus, 0});
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            out.push_back({Token::Letter, static_cast<char>(c | 0x20)});
        } else if (auto wide = wide_token(text)) {
            out.push_back({wide->first, 0});
            text.remove_prefix(wide->second);
            continue;
        } else {
            out.push_back({Token::Other, 0});
        }
        text.remove_prefix(1);
    }
    return out;
}

using Tokens = std::vector<Lexed>;

void trim_spaces(Tokens& tokens) {
    std::size_t begin = 0;
    while (begin < tokens.size() && tokens[begin].token == Token::Space)
        ++begin;
    tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(begin));
    while (!tokens.empty() && tokens.back().token == Token::Space)
        tokens.pop_back();
}

bool letters_at(const Tokens& tokens, std::size_t at, std::string_view word) {
    if (at + word.size() > tokens.size())
        return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (tokens[at + i].token != Token::Letter || tokens[at + i].c != word[i])
            return false;
    }
    return true;
}

// "kr", "kr." and "NOK" before or after the number.
void strip_currency(Tokens& tokens) {
    for (std::string_view word : {"kr", "nok"}) {
        if (letters_at(tokens, 0, word)) {
            std::size_t end = word.size();
            if (word == "kr" && end < tokens.size() && tokens[end].token == Token::Dot)
                ++end;
            tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(end));
            trim_spaces(tokens);
            return;
        }
        std::size_t size = tokens.size();
        bool dotted = word == "kr" && size > 0 && tokens.back().token == Token::Dot &&
                      size >= word.size() + 1 && letters_at(tokens, size - word.size() - 1, word);
        if (dotted || (size >= word.size() && letters_at(tokens, size - word.size(), word))) {
            tokens.resize(size - word.size() - (dotted ? 1 : 0));
            trim_spaces(tokens);
            return;
        }
    }
}

// ",-" or ".-" after the number: whole kroner ("1 234,-").
bool strip_whole_kroner_mark(Tokens& tokens) {
    std::size_t size = tokens.size();
    if (size >= 2 && tokens[size - 1].token == Token::Minus &&
        (tokens[size - 2].token == Token::Comma || tokens[size - 2].token == Token::Dot)) {
        tokens.resize(size - 2);
        trim_spaces(tokens);
        return true;
    }
    return false;
}

Error invalid(const char* message) {
    return Error::invalid(message);
}

// Digits separated into groups by separators (Space or `grouping`), as
// "1 234 567": the first group 1–3 digits, every later one exactly 3. Runs
// of spaces count as one separator.
std::optional<std::string> integer_digits(const Tokens& tokens, std::size_t begin, std::size_t end,
                                          std::optional<Token> grouping) {
    std::string digits;
    std::vector<std::size_t> groups{0};
    bool after_separator = false;
    for (std::size_t i = begin; i < end; ++i) {
        Token t = tokens[i].token;
        if (t == Token::Digit) {
            digits += tokens[i].c;
            ++groups.back();
            after_separator = false;
        } else if (t == Token::Space || (grouping && t == *grouping)) {
            if (groups.back() == 0 && !(t == Token::Space && after_separator))
                return std::nullopt; // a separator first, or two in a row
            if (!(t == Token::Space && after_separator))
                groups.push_back(0);
            after_separator = true;
        } else {
            return std::nullopt;
        }
    }
    if (digits.empty() || groups.back() == 0)
        return std::nullopt;
    if (groups.size() > 1) {
        if (groups.front() > 3)
            return std::nullopt;
        for (std::size_t g = 1; g < groups.size(); ++g) {
            if (groups[g] != 3)
                return std::nullopt;
        }
    }
    return digits;
}

} // namespace

Result<Ore> parse_kroner(std::string_view text) {
    if (text.size() > MAX_MONEY_INPUT_BYTES)
        return tl::unexpected(invalid(MONEY_NOT_A_NUMBER));
    Tokens tokens = lex(text);
    trim_spaces(tokens);
    if (tokens.empty())
        return tl::unexpected(invalid(MONEY_EMPTY));
    strip_currency(tokens);
    if (!tokens.empty() && tokens.front().token == Token::Minus)
        return tl::unexpected(invalid(MONEY_NEGATIVE));
    const bool whole_kroner = strip_whole_kroner_mark(tokens);
    if (tokens.empty())
        return tl::unexpected(invalid(MONEY_NOT_A_NUMBER));

    std::size_t commas = 0, dots = 0;
    std::size_t last_comma = 0, last_dot = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        switch (tokens[i].token) {
        case Token::Digit:
        case Token::Space:
            break;
        case Token::Comma:
            ++commas;
            last_comma = i;
            break;
        case Token::Dot:
            ++dots;
            last_dot = i;
            break;
        case Token::Minus:
            return tl::unexpected(invalid(MONEY_NOT_A_NUMBER));
        case Token::Letter:
        case Token::Other:
            return tl::unexpected(invalid(MONEY_NOT_A_NUMBER));
        }
    }

    // Which character separates the decimals, and which groups thousands.
    std::optional<std::size_t> decimal_at;
    std::optional<Token> grouping;
    if (whole_kroner) {
        // "1.234,-": nothing after the integer part, so '.' and ',' group.
        if (commas > 0 && dots > 0)
            return tl::unexpected(invalid(MONEY_NOT_A_NUMBER));
        if (commas > 0)
            grouping = Token::Comma;
        else if (dots > 0)
            grouping = Token::Dot;
    } else if (commas > 0 && dots > 0) {
        bool comma_last = last_comma > last_dot;
        std::size_t last_kind_count = comma_last ? commas : dots;
        if (last_kind_count != 1)
            return tl::unexpected(invalid(MONEY_NOT_A_NUMBER));
        decimal_at = comma_last ? last_comma : last_dot;
        grouping = comma_last ? Token::Dot : Token::Comma;
    } else if (commas == 1 || dots == 1) {
        decimal_at = commas == 1 ? last_comma : last_dot;
    } else if (commas > 1) {
        grouping = Token::Comma;
    } else if (dots > 1) {
        grouping = Token::Dot;
    }

    std::size_t integer_end = decimal_at.value_or(tokens.size());
    auto digits = integer_digits(tokens, 0, integer_end, grouping);
    if (!digits)
        return tl::unexpected(invalid(MONEY_NOT_A_NUMBER));

    std::string decimals;
    if (decimal_at) {
        for (std::size_t i = *decimal_at + 1; i < tokens.size(); ++i) {
            if (tokens[i].token != Token::Digit)
                return tl::unexpected(invalid(MONEY_NOT_A_NUMBER));
            decimals += tokens[i].c;
        }
        if (decimals.empty())
            return tl::unexpected(invalid(MONEY_NOT_A_NUMBER));
        if (decimals.size() > 2)
            return tl::unexpected(invalid(MONEY_TOO_MANY_DECIMALS));
    }

    constexpr Ore MAX = std::numeric_limits<Ore>::max();
    Ore ore = 0;
    if (!decimals.empty()) {
        ore = (decimals[0] - '0') * 10;
        if (decimals.size() == 2)
            ore += decimals[1] - '0';
    }
    // kroner * 100 + ore <= MAX, checked digit by digit before it can overflow.
    const Ore max_kroner = (MAX - ore) / ORE_PER_KRONE;
    Ore kroner = 0;
    for (char c : *digits) {
        int digit = c - '0';
        if (kroner > (max_kroner - digit) / 10)
            return tl::unexpected(invalid(MONEY_TOO_LARGE));
        kroner = kroner * 10 + digit;
    }
    return kroner * ORE_PER_KRONE + ore;
}

std::string to_kroner_input(Ore ore) {
    bool negative = ore < 0;
    // Unsigned, so that the most negative value has a magnitude too.
    unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(ore)
                                            : static_cast<unsigned long long>(ore);
    std::string text = negative ? "-" : "";
    text += std::to_string(magnitude / 100);
    if (unsigned long long rest = magnitude % 100; rest != 0) {
        text += ',';
        text += static_cast<char>('0' + rest / 10);
        text += static_cast<char>('0' + rest % 10);
    }
    return text;
}

} // namespace spire
