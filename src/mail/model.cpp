#include "mail/model.hpp"

#include <algorithm>
#include <date/tz.h>
#include <sodium.h>

namespace spire::mail {

namespace {

bool is_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// The longest prefix of text of at most max_bytes that ends at a character
// boundary.
std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes)
        return text.size();
    std::size_t length = max_bytes;
    while (length > 0 && is_continuation_byte(text[length]))
        --length;
    return length;
}

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1); // the terminating NUL
    return out;
}

// https://datatracker.ietf.org/doc/html/rfc5322#section-3.2.4
// quoted-string for a display name made of ASCII only.
std::string quoted_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
    return out;
}

std::string mailbox(const Sender& sender) {
    if (sender.display_name.empty())
        return sender.address;
    std::string name = header_safe_text(sender.display_name, MAX_SUBJECT_BYTES);
    std::string phrase = is_ascii(name) ? quoted_string(name) : encode_header_text(name);
    return phrase + " <" + sender.address + ">";
}

} // namespace

std::string_view mail_kind_key(MailKind kind) {
    switch (kind) {
    case MailKind::ApplicationReceipt:
        return "application_receipt";
    case MailKind::EndorsementRequest:
        return "endorsement_request";
    case MailKind::ReviewerAssignment:
        return "reviewer_assignment";
    case MailKind::Decision:
        return "decision";
    }
    return {};
}

std::optional<MailKind> parse_mail_kind(std::string_view key) {
    for (MailKind kind : ALL_MAIL_KINDS) {
        if (mail_kind_key(kind) == key)
            return kind;
    }
    return std::nullopt;
}

std::chrono::seconds retry_delay(int attempts) {
    std::chrono::seconds delay = FIRST_RETRY_DELAY;
    for (int i = 1; i < attempts && delay < MAX_RETRY_DELAY; ++i)
        delay *= 2;
    return std::min(delay, MAX_RETRY_DELAY);
}

bool is_plain_address(std::string_view address) {
    // https://datatracker.ietf.org/doc/html/rfc5321#section-4.5.3.1.3
    // A path is at most 256 octets, the angle brackets included.
    if (address.size() < 3 || address.size() > 254)
        return false;
    auto at = address.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size() ||
        address.find('@', at + 1) != std::string_view::npos)
        return false;
    static constexpr std::string_view FORBIDDEN = "<>()[]\\,;:\"";
    return std::none_of(address.begin(), address.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte >= 0x7f || FORBIDDEN.find(c) != std::string_view::npos;
    });
}

std::string header_safe_text(std::string_view text, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes));
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        const bool space = byte < 0x20 || byte == 0x7f || c == ' ';
        if (space) {
            if (!out.empty() && out.back() != ' ')
                out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    out.resize(utf8_prefix_length(out, max_bytes));
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

std::string encode_header_text(std::string_view utf8) {
    if (is_ascii(utf8))
        return std::string(utf8);
    // https://datatracker.ietf.org/doc/html/rfc2047#section-2
    // "An 'encoded-word' may not be more than 75 characters long": 12 go to
    // "=?UTF-8?B?" and "?=", leaving 63, so 45 bytes (60 base64 characters).
    // https://datatracker.ietf.org/doc/html/rfc2047#section-5
    // "Each 'encoded-word' MUST represent an integral number of characters."
    static constexpr std::size_t BYTES_PER_WORD = 45;
    std::string out;
    while (!utf8.empty()) {
        std::size_t length = utf8_prefix_length(utf8, BYTES_PER_WORD);
        if (!out.empty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + base64(utf8.substr(0, length)) + "?=";
        utf8.remove_prefix(length);
    }
    return out;
}

std::string rfc5322_date(TimePoint when) {
    static const date::time_zone* oslo = date::locate_zone("Europe/Oslo");
    auto local = date::make_zoned(oslo, std::chrono::floor<std::chrono::seconds>(when));
    // date's %a and %b are the English (C locale) names RFC 5322 §3.3 requires.
    return date::format("%a, %d %b %Y %H:%M:%S %z", local);
}

std::string address_domain(std::string_view address) {
    auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string("localhost")
                                        : std::string(address.substr(at + 1));
}

std::vector<std::string> message_headers(const QueuedMail& mail, const Sender& sender,
                                         TimePoint now) {
    return {
        "From: " + mailbox(sender),
        "To: " + mail.recipient,
        "Subject: " + encode_header_text(header_safe_text(mail.subject, MAX_SUBJECT_BYTES)),
        "Date: " + rfc5322_date(now),
        "Message-ID: <" + mail.message_token + "@" + address_domain(sender.address) + ">",
    };
}

} // namespace spire::mail
