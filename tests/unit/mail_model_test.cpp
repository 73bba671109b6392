// The pure parts of e-mail: the back-off rule, header texts that cannot
// inject headers, RFC 2047 encoded-words and RFC 5322 dates. Expected
// encodings and dates were produced independently with Python's base64,
// zoneinfo and email.utils.format_datetime.

#include "http/utf8.hpp"
#include "mail/model.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

namespace {

using namespace spire;
using namespace spire::mail;
using std::chrono::seconds;

TimePoint utc(const char* text) {
    return from_db_time(text).value();
}

// Decodes one "=?UTF-8?B?...?=" word with libsodium (not our encoder).
std::string decode_word(std::string_view word) {
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    std::string_view encoded = word.substr(10, word.size() - 12);
    std::string out(encoded.size(), '\0');
    std::size_t length = 0;
    EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                                encoded.data(), encoded.size(), nullptr, &length, nullptr,
                                sodium_base64_VARIANT_ORIGINAL),
              0);
    out.resize(length);
    return out;
}

std::vector<std::string> split_folded(const std::string& header) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (true) {
        auto end = header.find("\r\n ", start);
        words.push_back(header.substr(start, end - start));
        if (end == std::string::npos)
            return words;
        start = end + 3;
    }
}

TEST(MailRetry, DoublesFromOneMinuteUpToSixHours) {
    EXPECT_EQ(retry_delay(1), seconds(60));
    EXPECT_EQ(retry_delay(2), seconds(120));
    EXPECT_EQ(retry_delay(3), seconds(240));
    EXPECT_EQ(retry_delay(9), seconds(60 * 256));
    EXPECT_EQ(retry_delay(10), seconds(6 * 3600)); // 60 * 512 s would be 8.5 h
    EXPECT_EQ(retry_delay(11), seconds(6 * 3600));
}

TEST(MailRetry, NeverGivesUpAndNeverOverflows) {
    for (int attempts : {20, 64, 1000, 1'000'000})
        EXPECT_EQ(retry_delay(attempts), seconds(6 * 3600)) << attempts;
}

TEST(MailKind, KeysRoundTrip) {
    for (MailKind kind : ALL_MAIL_KINDS)
        EXPECT_EQ(parse_mail_kind(mail_kind_key(kind)), kind);
    EXPECT_EQ(mail_kind_key(MailKind::ApplicationReceipt), "application_receipt");
    EXPECT_FALSE(parse_mail_kind("receipt"));
}

TEST(MailAddress, AcceptsPlainAddressesOnly) {
    EXPECT_TRUE(is_plain_address("leder@baerum.kommune.no"));
    EXPECT_TRUE(is_plain_address("a.b+c@example.org"));
    EXPECT_FALSE(is_plain_address(""));
    EXPECT_FALSE(is_plain_address("no-at-sign"));
    EXPECT_FALSE(is_plain_address("@example.org"));
    EXPECT_FALSE(is_plain_address("a@"));
    EXPECT_FALSE(is_plain_address("a@b@c.no"));
    EXPECT_FALSE(is_plain_address("Ola <ola@example.org>"));
    EXPECT_FALSE(is_plain_address("ola@example.org\r\nRCPT TO:<x@evil.example>"));
    EXPECT_FALSE(is_plain_address("a b@example.org"));
    EXPECT_FALSE(is_plain_address("ola,kari@example.org"));
    EXPECT_FALSE(is_plain_address("ø@example.org")); // no SMTPUTF8
    EXPECT_FALSE(is_plain_address(std::string(250, 'a') + "@example.org"));
}

TEST(MailHeaderText, LineBreaksCannotInjectHeaders) {
    EXPECT_EQ(header_safe_text("Søknad\r\nBcc: x@evil.example", 100), "Søknad Bcc: x@evil.example");
    EXPECT_EQ(header_safe_text("  a \t\t b\n", 100), "a b");
    EXPECT_EQ(header_safe_text("\x7f", 100), "");
}

TEST(MailHeaderText, CutsAtACharacterBoundary) {
    // "æøå" is six bytes, two per letter: four bytes hold two letters and
    // five bytes still only two.
    EXPECT_EQ(header_safe_text("æøå", 4), "æø");
    EXPECT_EQ(header_safe_text("æøå", 5), "æø");
    EXPECT_EQ(header_safe_text("æøå", 6), "æøå");
    EXPECT_EQ(header_safe_text("ab cd", 3), "ab");
}

TEST(MailEncodedWords, AsciiStaysAsItIs) {
    EXPECT_EQ(encode_header_text("Application SPIRE-2026-0001 received"),
              "Application SPIRE-2026-0001 received");
}

TEST(MailEncodedWords, NonAsciiBecomesBase64Utf8) {
    EXPECT_EQ(encode_header_text("Søknad"), "=?UTF-8?B?U8O4a25hZA==?=");
}

TEST(MailEncodedWords, LongTextIsSplitIntoShortWordsOfWholeCharacters) {
    std::string text;
    for (int i = 0; i < 20; ++i)
        text += "Søknad «Tidlig innsats» er mottatt – ";
    std::string encoded = encode_header_text(text);
    auto words = split_folded(encoded);
    ASSERT_GT(words.size(), 10u);
    std::string decoded;
    for (const auto& word : words) {
        // RFC 2047 §2: at most 75 characters per encoded-word.
        EXPECT_LE(word.size(), 75u) << word;
        std::string part = decode_word(word);
        // §5: every word holds whole characters, so it is valid UTF-8 alone.
        EXPECT_TRUE(http::is_valid_utf8(part)) << word;
        decoded += part;
    }
    EXPECT_EQ(decoded, text);
}

TEST(MailDate, IsOsloLocalTimeWithItsOffset) {
    EXPECT_EQ(rfc5322_date(utc("2026-11-27T16:49:07.123456Z")), "Fri, 27 Nov 2026 17:49:07 +0100");
    EXPECT_EQ(rfc5322_date(utc("2026-07-01T12:00:00.000000Z")), "Wed, 01 Jul 2026 14:00:00 +0200");
}

TEST(MailHeaders, NameTheSenderRecipientSubjectDateAndMessageId) {
    QueuedMail mail;
    mail.recipient = "leder@baerum.kommune.no";
    mail.subject = "Søknad SPIRE-2026-0001 er mottatt";
    mail.message_token = "abc123";
    auto headers = message_headers(mail, Sender{"noreply@baerum.kommune.no", "Bærum kommune"},
                                   utc("2026-11-27T16:49:07.000000Z"));
    ASSERT_EQ(headers.size(), 5u);
    EXPECT_EQ(headers[0], "From: =?UTF-8?B?QsOmcnVtIGtvbW11bmU=?= <noreply@baerum.kommune.no>");
    EXPECT_EQ(headers[1], "To: leder@baerum.kommune.no");
    EXPECT_TRUE(headers[2].starts_with("Subject: =?UTF-8?B?")) << headers[2];
    EXPECT_EQ(headers[3], "Date: Fri, 27 Nov 2026 17:49:07 +0100");
    EXPECT_EQ(headers[4], "Message-ID: <abc123@baerum.kommune.no>");
}

TEST(MailHeaders, AsciiDisplayNamesAreQuoted) {
    QueuedMail mail;
    mail.recipient = "a@example.org";
    mail.subject = "Hi";
    mail.message_token = "t";
    auto headers = message_headers(mail, Sender{"noreply@example.org", "Asker, \"kommune\""},
                                   utc("2026-11-27T16:49:07.000000Z"));
    EXPECT_EQ(headers[0], "From: \"Asker, \\\"kommune\\\"\" <noreply@example.org>");
    auto bare = message_headers(mail, Sender{"noreply@example.org", ""},
                                utc("2026-11-27T16:49:07.000000Z"));
    EXPECT_EQ(bare[0], "From: noreply@example.org");
}

} // namespace
