#include "http/form.hpp"
#include "http/utf8.hpp"

#include <gtest/gtest.h>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace std::string_literals;
using namespace std::string_view_literals;

using spire::ErrorKind;
using spire::http::FormLimits;
using spire::http::is_valid_utf8;
using spire::http::parse_form;
using spire::http::parse_media_type;
using spire::http::parse_multipart;
using spire::http::parse_urlencoded;
using spire::http::sanitize_filename;

namespace {

constexpr std::string_view BOUNDARY = "----spireBoundary7MA4YWxk";
constexpr std::string_view MULTIPART_TYPE =
    "multipart/form-data; boundary=----spireBoundary7MA4YWxk";

// One multipart part: the header lines and the raw content.
std::string part(std::string_view headers, std::string_view content,
                 std::string_view boundary = BOUNDARY) {
    return "--"s + std::string(boundary) + "\r\n" + std::string(headers) + "\r\n\r\n" +
           std::string(content) + "\r\n";
}

std::string text_part(std::string_view name, std::string_view value,
                      std::string_view boundary = BOUNDARY) {
    return part("Content-Disposition: form-data; name=\"" + std::string(name) + "\"", value,
                boundary);
}

std::string file_part(std::string_view name, std::string_view filename, std::string_view content,
                      std::string_view boundary = BOUNDARY) {
    return part("Content-Disposition: form-data; name=\"" + std::string(name) + "\"; filename=\"" +
                    std::string(filename) + "\"\r\nContent-Type: application/octet-stream",
                content, boundary);
}

std::string close_delimiter(std::string_view boundary = BOUNDARY) {
    return "--"s + std::string(boundary) + "--\r\n";
}

// The kind of error, or nullopt when parsing succeeded.
template <class T>
std::optional<ErrorKind> error_kind(const spire::Result<T>& result) {
    if (result)
        return std::nullopt;
    return result.error().kind;
}

} // namespace

// ---------------------------------------------------------------------------
// application/x-www-form-urlencoded

TEST(UrlencodedForm, DecodesPlusAsSpace) {
    auto form = parse_urlencoded("first+name=Ada+Lovelace&q=a%2Bb");
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->get("first name"), "Ada Lovelace");
    EXPECT_EQ(form->get("q"), "a+b"); // an escaped plus stays a plus
}

TEST(UrlencodedForm, DecodesPercentEscapes) {
    auto form = parse_urlencoded("city=Z%C3%BCrich&symbols=%26%3D%25%20&emoji=%F0%9F%98%80");
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->get("city"), "Zürich");
    EXPECT_EQ(form->get("symbols"), "&=% ");
    EXPECT_EQ(form->get("emoji"), "\xF0\x9F\x98\x80");
}

TEST(UrlencodedForm, KeepsRepeatedFieldsInOrder) {
    auto form = parse_urlencoded("tag=a&title=x&tag=b&tag=c");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("tag"), "a");
    EXPECT_EQ(form->all("tag"), (std::vector<std::string_view>{"a", "b", "c"}));
    ASSERT_EQ(form->fields().size(), 4u);
    EXPECT_EQ(form->fields()[1], (std::pair<std::string, std::string>{"title", "x"}));
    EXPECT_TRUE(form->all("missing").empty());
    EXPECT_FALSE(form->get("missing"));
    EXPECT_FALSE(form->has("missing"));
}

TEST(UrlencodedForm, AcceptsEmptyBody) {
    auto form = parse_urlencoded("");
    ASSERT_TRUE(form);
    EXPECT_TRUE(form->fields().empty());
    EXPECT_TRUE(form->files().empty());
}

TEST(UrlencodedForm, SkipsEmptySequences) {
    auto form = parse_urlencoded("&a=1&&b=2&");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->fields().size(), 2u);
}

TEST(UrlencodedForm, TreatsNameWithoutEqualsAsEmptyValue) {
    auto form = parse_urlencoded("agree&note=");
    ASSERT_TRUE(form);
    EXPECT_TRUE(form->has("agree"));
    EXPECT_EQ(form->get("agree"), "");
    EXPECT_EQ(form->get("note"), "");
}

TEST(UrlencodedForm, SplitsOnFirstEqualsSign) {
    auto form = parse_urlencoded("expr=a%3Db=c");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("expr"), "a=b=c");
}

TEST(UrlencodedForm, ReadsOnlyTheBytesItIsGiven) {
    // Boost.URL 1.81's parse_query alone would read past the view
    // (boostorg/url#757): the last value would come out as "jkl".
    std::string const buffer = "abc=def&ghi=jkl";
    auto form = parse_urlencoded(std::string_view(buffer).substr(0, buffer.size() - 2));
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("ghi"), "j");
    EXPECT_TRUE(parse_urlencoded(std::string_view()));
}

TEST(UrlencodedForm, RejectsInvalidPercentEscapes) {
    for (auto body : {"a=%zz", "a=%4", "a=%", "a%G1=1", "a=%%41"}) {
        auto form = parse_urlencoded(body);
        EXPECT_EQ(error_kind(form), ErrorKind::Invalid) << body;
    }
}

TEST(UrlencodedForm, RejectsBytesABrowserWouldHaveEncoded) {
    for (auto body : {"a=b c", "a=\xC3\xA9", "a=b#c", "a=[x]", "a=\r\n"}) {
        auto form = parse_urlencoded(body);
        EXPECT_EQ(error_kind(form), ErrorKind::Invalid) << body;
    }
}

TEST(UrlencodedForm, RejectsOverlongUtf8) {
    auto form = parse_urlencoded("path=%C0%AF");
    ASSERT_EQ(error_kind(form), ErrorKind::Invalid);
    EXPECT_EQ(form.error().message, "The form contains text that is not valid UTF-8.");
}

TEST(UrlencodedForm, RejectsEncodedSurrogate) {
    EXPECT_EQ(error_kind(parse_urlencoded("a=%ED%A0%80")), ErrorKind::Invalid);
}

TEST(UrlencodedForm, RejectsTruncatedUtf8) {
    EXPECT_EQ(error_kind(parse_urlencoded("a=%E2%82")), ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_urlencoded("a=%E2%82&b=1")), ErrorKind::Invalid);
}

TEST(UrlencodedForm, RejectsInvalidUtf8InName) {
    EXPECT_EQ(error_kind(parse_urlencoded("%FF=1")), ErrorKind::Invalid);
}

TEST(UrlencodedForm, RejectsNulBytes) {
    EXPECT_EQ(error_kind(parse_urlencoded("a=x%00y")), ErrorKind::Invalid);
}

TEST(UrlencodedForm, RejectsMoreFieldsThanTheLimit) {
    FormLimits limits;
    limits.max_fields = 3;
    EXPECT_TRUE(parse_urlencoded("a=1&b=2&c=3", limits));
    auto form = parse_urlencoded("a=1&b=2&c=3&d=4", limits);
    ASSERT_EQ(error_kind(form), ErrorKind::TooLarge);
    EXPECT_EQ(form.error().message, "The form has too many fields.");
}

TEST(UrlencodedForm, RejectsValueOverTheLimitAndNamesTheField) {
    FormLimits limits;
    limits.max_field_bytes = 5;
    EXPECT_TRUE(parse_urlencoded("bio=%41%41%41%41%41", limits)); // 5 bytes once decoded
    auto form = parse_urlencoded("bio=123456", limits);
    ASSERT_EQ(error_kind(form), ErrorKind::TooLarge);
    ASSERT_EQ(form.error().fields.size(), 1u);
    EXPECT_EQ(form.error().fields[0].field, "bio");
}

TEST(UrlencodedForm, RejectsNameOverTheLimit) {
    FormLimits limits;
    limits.max_field_bytes = 5;
    EXPECT_EQ(error_kind(parse_urlencoded("abcdef=1", limits)), ErrorKind::TooLarge);
}

// ---------------------------------------------------------------------------
// UTF-8

TEST(Utf8, AcceptsWellFormedText) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain ASCII"));
    EXPECT_TRUE(is_valid_utf8("\xC2\x80 é € \xF0\x9D\x84\x9E"));
    EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));     // U+D7FF, just below the surrogates
    EXPECT_TRUE(is_valid_utf8("\xEE\x80\x80"));     // U+E000, just above them
    EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBF"));     // U+FFFF
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF")); // U+10FFFF
    EXPECT_TRUE(is_valid_utf8("a\0b"sv));           // NUL is valid UTF-8
}

TEST(Utf8, RejectsOverlongEncodings) {
    for (auto s : {"\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xE0\x9F\xBF", "\xF0\x80\x80\xAF",
                   "\xF0\x8F\xBF\xBF"}) {
        EXPECT_FALSE(is_valid_utf8(s)) << s;
    }
}

TEST(Utf8, RejectsSurrogates) {
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));             // U+D800
    EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));             // U+DFFF
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80")); // CESU-8 pair
}

TEST(Utf8, RejectsCodePointsAboveTheMaximum) {
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // U+110000
    EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
    EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));
    EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Utf8, RejectsTruncatedSequences) {
    for (auto s : {"\xC3", "\xE2\x82", "\xF0\x9F\x98", "a\xE2\x82z", "\xF0\x9F\x98 "}) {
        EXPECT_FALSE(is_valid_utf8(s)) << s;
    }
}

TEST(Utf8, RejectsStrayContinuationBytes) {
    EXPECT_FALSE(is_valid_utf8("\x80"));
    EXPECT_FALSE(is_valid_utf8("a\xBF"));
    EXPECT_FALSE(is_valid_utf8("\xC3\xA9\xA9"));
}

TEST(Utf8, DecodesCodePoints) {
    using spire::http::decode_utf8_code_point;
    EXPECT_EQ(decode_utf8_code_point("A"), U'A');
    EXPECT_EQ(decode_utf8_code_point("é"), U'é');
    EXPECT_EQ(decode_utf8_code_point("€"), U'€');
    EXPECT_EQ(decode_utf8_code_point("\xF4\x8F\xBF\xBF"), U'\U0010FFFF');
    EXPECT_FALSE(decode_utf8_code_point(""));
    EXPECT_FALSE(decode_utf8_code_point("\xC0\x80"));
}

// ---------------------------------------------------------------------------
// multipart/form-data

TEST(MultipartForm, ParsesTextFieldsAndABinaryFile) {
    // The file holds CRLFs, NULs, dashes and the boundary itself where it is
    // not a delimiter (a delimiter is CRLF "--" boundary).
    std::string const binary = "\x89PNG\r\n\x1A\n\0\0\r\n-\r\n\n--"s + std::string(BOUNDARY) +
                               "\r\n\r\n\xFF\xFE\0x--"s + std::string(BOUNDARY) + "--\r\n"s;
    std::string const body = text_part("title", "Annual report") + text_part("tags", "a") +
                             text_part("tags", "b") + file_part("upload", "chart.png", binary) +
                             close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->get("title"), "Annual report");
    EXPECT_EQ(form->all("tags"), (std::vector<std::string_view>{"a", "b"}));
    EXPECT_FALSE(form->has("upload")); // files are not fields
    ASSERT_EQ(form->files().size(), 1u);
    auto const& file = form->files()[0];
    EXPECT_EQ(file.field, "upload");
    EXPECT_EQ(file.filename, "chart.png");
    EXPECT_EQ(file.content_type, "application/octet-stream");
    EXPECT_EQ(file.data, binary);
    EXPECT_EQ(form->file("upload"), &file);
    EXPECT_EQ(form->file("other"), nullptr);
}

TEST(MultipartForm, KeepsLineBreaksInsideTextValues) {
    std::string const body = text_part("note", "line 1\r\nline 2\r\n") + close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->get("note"), "line 1\r\nline 2\r\n");
}

TEST(MultipartForm, AcceptsQuotedBoundary) {
    constexpr std::string_view boundary = "simple boundary:(with)?=,/'+_.-";
    std::string const body = text_part("a", "1", boundary) + close_delimiter(boundary);
    auto form =
        parse_multipart(body, R"(multipart/form-data; boundary="simple boundary:(with)?=,/'+_.-")");
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->get("a"), "1");
}

TEST(MultipartForm, MatchesTypeAndParameterNamesCaseInsensitively) {
    std::string const body = text_part("a", "1", "xyz") + close_delimiter("xyz");
    auto form = parse_multipart(body, "Multipart/Form-Data ; charset=utf-8; BOUNDARY=xyz");
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->get("a"), "1");
}

TEST(MultipartForm, IgnoresPreambleAndEpilogue) {
    std::string const body = "This is the preamble.\r\n"s + text_part("a", "1") +
                             close_delimiter() + "This is the epilogue.\r\n--garbage";
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->fields().size(), 1u);
}

TEST(MultipartForm, AcceptsTransportPaddingAfterBoundaries) {
    std::string const body = "--"s + std::string(BOUNDARY) +
                             " \t\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--" +
                             std::string(BOUNDARY) + "-- \r\n";
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->get("a"), "1");
}

TEST(MultipartForm, AcceptsFormWithoutParts) {
    auto form = parse_multipart(close_delimiter(), MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_TRUE(form->fields().empty());
}

TEST(MultipartForm, AcceptsCloseDelimiterWithoutFinalCrlf) {
    std::string const body = text_part("a", "1") + "--" + std::string(BOUNDARY) + "--";
    EXPECT_TRUE(parse_multipart(body, MULTIPART_TYPE));
}

TEST(MultipartForm, RejectsMissingFinalBoundary) {
    std::string const body = text_part("a", "1") + text_part("b", "2");
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_EQ(error_kind(form), ErrorKind::Invalid);
    EXPECT_EQ(form.error().message, "The form was not received completely. Please try again.");
}

TEST(MultipartForm, RejectsBodyCutInsideAPart) {
    std::string const body = text_part("a", "1") + file_part("f", "x.bin", "partial");
    std::string const cut = body.substr(0, body.size() - 4);
    EXPECT_EQ(error_kind(parse_multipart(cut, MULTIPART_TYPE)), ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_multipart("", MULTIPART_TYPE)), ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_multipart("--"s + std::string(BOUNDARY), MULTIPART_TYPE)),
              ErrorKind::Invalid);
}

TEST(MultipartForm, RejectsBoundaryThatContinuesInsideAPart) {
    // RFC 2046: the delimiter (CRLF "--" boundary) must not occur in a part.
    std::string const body =
        text_part("a", "x\r\n--"s + std::string(BOUNDARY) + "X") + close_delimiter();
    EXPECT_EQ(error_kind(parse_multipart(body, MULTIPART_TYPE)), ErrorKind::Invalid);
}

TEST(MultipartForm, RejectsBareLfLineEndings) {
    std::string const body = "--"s + std::string(BOUNDARY) +
                             "\nContent-Disposition: form-data; name=\"a\"\n\n1\n--" +
                             std::string(BOUNDARY) + "--\n";
    EXPECT_EQ(error_kind(parse_multipart(body, MULTIPART_TYPE)), ErrorKind::Invalid);
}

TEST(MultipartForm, RejectsMissingOrInvalidBoundaryParameter) {
    std::string const body = text_part("a", "1") + close_delimiter();
    EXPECT_EQ(error_kind(parse_multipart(body, "multipart/form-data")), ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_multipart(body, "multipart/form-data; boundary=")),
              ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_multipart(body, "multipart/form-data; boundary=\"ab \"")),
              ErrorKind::Invalid); // may not end in a space
    EXPECT_EQ(error_kind(parse_multipart(body, "multipart/form-data; boundary=\"a<b\"")),
              ErrorKind::Invalid); // not a bchar
    EXPECT_EQ(error_kind(parse_multipart(body, "multipart/form-data; boundary=a; boundary=b")),
              ErrorKind::Invalid);
}

TEST(MultipartForm, AcceptsBoundaryOfSeventyCharactersButNotMore) {
    std::string const longest(70, 'b');
    std::string const body = text_part("a", "1", longest) + close_delimiter(longest);
    EXPECT_TRUE(parse_multipart(body, "multipart/form-data; boundary=" + longest));
    std::string const too_long(71, 'b');
    std::string const body2 = text_part("a", "1", too_long) + close_delimiter(too_long);
    EXPECT_EQ(error_kind(parse_multipart(body2, "multipart/form-data; boundary=" + too_long)),
              ErrorKind::Invalid);
}

TEST(MultipartForm, RejectsOtherContentTypes) {
    std::string const body = text_part("a", "1") + close_delimiter();
    EXPECT_EQ(error_kind(parse_multipart(body, "multipart/mixed; boundary=x")), ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_multipart(body, "")), ErrorKind::Invalid);
}

TEST(MultipartForm, RejectsPartsWithoutFormDataName) {
    auto parse_one = [](std::string_view headers) {
        return parse_multipart(part(headers, "v") + close_delimiter(), MULTIPART_TYPE);
    };
    EXPECT_EQ(error_kind(parse_one("Content-Type: text/plain")), ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_one("Content-Disposition: form-data")), ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_one("Content-Disposition: attachment; name=\"a\"")),
              ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_one("Content-Disposition: form-data; name=\"a\"; name=\"b\"")),
              ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_one("Content-Disposition: form-data; name=\"a")),
              ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_one("Content-Disposition: form-data; name=\"a\"\r\n"
                                   "Content-Disposition: form-data; name=\"b\"")),
              ErrorKind::Invalid);
    EXPECT_EQ(error_kind(parse_one("Content-Disposition: form-data;\r\n name=\"a\"")),
              ErrorKind::Invalid); // obsolete line folding
}

TEST(MultipartForm, DecodesBrowserEscapesInNames) {
    // HTML escapes only LF, CR and '"' in names and filenames; a backslash is literal.
    std::string const body =
        part("Content-Disposition: form-data; name=\"say %22hi%22%0D%0A\"", "1") +
        part(R"(Content-Disposition: form-data; name="f"; filename="C:\x\y.pdf")", "%PDF") +
        close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->get("say \"hi\"\r\n"), "1");
    ASSERT_EQ(form->files().size(), 1u);
    EXPECT_EQ(form->files()[0].filename, "y.pdf");
}

TEST(MultipartForm, AcceptsUtf8NamesAndFilenames) {
    std::string const body =
        text_part("größe", "groß") + file_part("f", "Überweisung.pdf", "x") + close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_EQ(form->get("größe"), "groß");
    EXPECT_EQ(form->files().at(0).filename, "Überweisung.pdf");
}

TEST(MultipartForm, PrefersExtendedFilename) {
    std::string const body =
        part("Content-Disposition: form-data; name=\"f\"; filename=\"rates.pdf\"; "
             "filename*=UTF-8''%E2%82%AC%20rates.pdf",
             "x") +
        part("Content-Disposition: form-data; name=\"g\"; filename*=iso-8859-1'de'%FCber.txt",
             "y") +
        close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    ASSERT_EQ(form->files().size(), 2u);
    EXPECT_EQ(form->files()[0].filename, "€ rates.pdf");
    EXPECT_EQ(form->files()[1].filename, "über.txt");
}

TEST(MultipartForm, RejectsMalformedExtendedFilename) {
    for (auto disposition :
         {"form-data; name=f; filename*=UTF-8''%zz", "form-data; name=f; filename*=UTF-8''%C0%AF",
          "form-data; name=f; filename*=no-quotes", "form-data; name=f; filename*=KOI8-R''abc"}) {
        std::string const body =
            part("Content-Disposition: "s + disposition, "x") + close_delimiter();
        EXPECT_EQ(error_kind(parse_multipart(body, MULTIPART_TYPE)), ErrorKind::Invalid)
            << disposition;
    }
}

TEST(MultipartForm, KeepsTheFileContentTypeAsSent) {
    std::string const body =
        part("Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n"
             "content-type:   text/plain; charset=utf-8  ",
             "hi") +
        part("Content-Disposition: form-data; name=\"g\"; filename=\"b\"", "raw") +
        close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    ASSERT_EQ(form->files().size(), 2u);
    EXPECT_EQ(form->files()[0].content_type, "text/plain; charset=utf-8");
    EXPECT_EQ(form->files()[1].content_type, "application/octet-stream");
}

TEST(MultipartForm, SkipsFileInputsLeftEmpty) {
    std::string const body = file_part("f", "", "") + text_part("a", "1") + close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE);
    ASSERT_TRUE(form) << form.error().detail;
    EXPECT_TRUE(form->files().empty());
    EXPECT_EQ(form->get("a"), "1");
}

TEST(MultipartForm, RejectsInvalidUtf8InTextButNotInFiles) {
    std::string const bad_text = text_part("a", "caf\xE9") + close_delimiter();
    auto form = parse_multipart(bad_text, MULTIPART_TYPE);
    ASSERT_EQ(error_kind(form), ErrorKind::Invalid);
    EXPECT_EQ(form.error().message, "The form contains text that is not valid UTF-8.");

    std::string const bad_name = text_part("\xED\xA0\x80", "x") + close_delimiter();
    EXPECT_EQ(error_kind(parse_multipart(bad_name, MULTIPART_TYPE)), ErrorKind::Invalid);

    std::string const binary_file = file_part("f", "a.bin", "\xE9\xFF\xC0\xAF") + close_delimiter();
    EXPECT_TRUE(parse_multipart(binary_file, MULTIPART_TYPE));
}

TEST(MultipartForm, RejectsNulInTextValues) {
    std::string const body = text_part("a", "x\0y"sv) + close_delimiter();
    EXPECT_EQ(error_kind(parse_multipart(body, MULTIPART_TYPE)), ErrorKind::Invalid);
}

TEST(MultipartForm, RejectsMorePartsThanTheLimit) {
    FormLimits limits;
    limits.max_fields = 2;
    std::string const two = text_part("a", "1") + file_part("f", "x", "y") + close_delimiter();
    EXPECT_TRUE(parse_multipart(two, MULTIPART_TYPE, limits));
    std::string const three =
        text_part("a", "1") + file_part("f", "x", "y") + text_part("b", "2") + close_delimiter();
    EXPECT_EQ(error_kind(parse_multipart(three, MULTIPART_TYPE, limits)), ErrorKind::TooLarge);
}

TEST(MultipartForm, RejectsTextFieldOverTheLimit) {
    FormLimits limits;
    limits.max_field_bytes = 4;
    std::string const fits = text_part("a", "1234") + close_delimiter();
    EXPECT_TRUE(parse_multipart(fits, MULTIPART_TYPE, limits));
    std::string const body = text_part("a", "12345") + close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE, limits);
    ASSERT_EQ(error_kind(form), ErrorKind::TooLarge);
    ASSERT_EQ(form.error().fields.size(), 1u);
    EXPECT_EQ(form.error().fields[0].field, "a");
}

TEST(MultipartForm, RejectsFileOverTheLimit) {
    FormLimits limits;
    limits.max_file_bytes = 8;
    limits.max_field_bytes = 2; // file content is not held to the text limit
    std::string const fits = file_part("up", "a.bin", "12345678") + close_delimiter();
    EXPECT_TRUE(parse_multipart(fits, MULTIPART_TYPE, limits));
    std::string const body = file_part("up", "a.bin", "123456789") + close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE, limits);
    ASSERT_EQ(error_kind(form), ErrorKind::TooLarge);
    EXPECT_EQ(form.error().message, "The uploaded file is too large.");
    ASSERT_EQ(form.error().fields.size(), 1u);
    EXPECT_EQ(form.error().fields[0].field, "up");
}

TEST(MultipartForm, RejectsMoreFilesThanTheLimit) {
    FormLimits limits;
    limits.max_files = 2;
    std::string const body = file_part("f", "1.txt", "1") + file_part("f", "2.txt", "2") +
                             file_part("f", "3.txt", "3") + close_delimiter();
    auto form = parse_multipart(body, MULTIPART_TYPE, limits);
    ASSERT_EQ(error_kind(form), ErrorKind::TooLarge);
    EXPECT_EQ(form.error().message, "Too many files were uploaded.");
}

TEST(MultipartForm, RejectsOversizedPartHeaders) {
    FormLimits limits;
    limits.max_part_header_bytes = 100;
    std::string const padding(200, 'x');
    std::string const body =
        part("Content-Disposition: form-data; name=\"a\"\r\nX-Padding: " + padding, "1") +
        close_delimiter();
    EXPECT_EQ(error_kind(parse_multipart(body, MULTIPART_TYPE, limits)), ErrorKind::TooLarge);
}

TEST(MultipartForm, WorksWithLimitsAtTheirMaximum) {
    constexpr auto unlimited = std::numeric_limits<std::size_t>::max();
    FormLimits const limits{unlimited, unlimited, unlimited, unlimited, unlimited};
    std::string const body = text_part("a", "1") + file_part("f", "x", "y") + close_delimiter();
    EXPECT_TRUE(parse_multipart(body, MULTIPART_TYPE, limits));
    EXPECT_TRUE(parse_urlencoded("a=1&b=2", limits));
}

TEST(MultipartForm, RejectsTransferEncodedParts) {
    std::string const body =
        part("Content-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64",
             "aGk=") +
        close_delimiter();
    EXPECT_EQ(error_kind(parse_multipart(body, MULTIPART_TYPE)), ErrorKind::Invalid);
}

// ---------------------------------------------------------------------------
// Content-Type dispatch and media types

TEST(FormContentType, DispatchesUrlencoded) {
    auto form = parse_form("application/x-www-form-urlencoded;charset=UTF-8", "a=1");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("a"), "1");
}

TEST(FormContentType, DispatchesMultipart) {
    auto form = parse_form(MULTIPART_TYPE, text_part("a", "1") + close_delimiter());
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("a"), "1");
}

TEST(FormContentType, RejectsOtherContentTypes) {
    for (auto type : {"application/json", "text/plain", "", "multipart/mixed; boundary=x",
                      "application/x-www-form-urlencoded-x", "garbage"}) {
        auto form = parse_form(type, "a=1");
        ASSERT_EQ(error_kind(form), ErrorKind::Invalid) << type;
        EXPECT_EQ(form.error().message, "The form was sent with an unsupported content type.");
    }
}

TEST(FormMediaType, ParsesParameters) {
    auto media = parse_media_type(R"( Text/HTML ; Charset="utf-8" ;; q="a\"b\\c" ;)");
    ASSERT_TRUE(media) << media.error().detail;
    EXPECT_TRUE(media->is("text", "html"));
    EXPECT_EQ(media->parameter("charset"), "utf-8");
    EXPECT_EQ(media->parameter("q"), "a\"b\\c");
    EXPECT_FALSE(media->parameter("missing"));
}

TEST(FormMediaType, RejectsMalformedHeaders) {
    for (auto header : {"", "text", "text/", "/html", "text/html; charset", "text/html; =x",
                        "text/html; a=\"unterminated", "text/html x", "text/html; a=1; A=2",
                        "text/html; a=\"\x01\""}) {
        EXPECT_FALSE(parse_media_type(header)) << header;
    }
}

// ---------------------------------------------------------------------------
// Filenames

TEST(FormFilename, StripsUnixPaths) {
    EXPECT_EQ(sanitize_filename("../../etc/passwd"), "passwd");
    EXPECT_EQ(sanitize_filename("/var/www/index.html"), "index.html");
}

TEST(FormFilename, StripsWindowsPaths) {
    EXPECT_EQ(sanitize_filename("C:\\x\\y.pdf"), "y.pdf");
    EXPECT_EQ(sanitize_filename("..\\..\\boot.ini"), "boot.ini");
}

TEST(FormFilename, RemovesControlCharacters) {
    EXPECT_EQ(sanitize_filename("re\x01po\x7Frt\r\n.pdf"), "report.pdf");
    EXPECT_EQ(sanitize_filename("a\0b.txt"sv), "ab.txt");
    EXPECT_EQ(sanitize_filename("tab\there\xC2\x85.txt"), "tabhere.txt"); // C1 NEL
}

TEST(FormFilename, RemovesBidiOverrides) {
    EXPECT_EQ(sanitize_filename("invoice\xE2\x80\xAE"
                                "fdp.exe"),
              "invoicefdp.exe");
}

TEST(FormFilename, StripsLeadingDotsAndSurroundingSpaces) {
    EXPECT_EQ(sanitize_filename(".htaccess"), "htaccess");
    EXPECT_EQ(sanitize_filename("  ..report.pdf. . "), "report.pdf");
}

TEST(FormFilename, FallsBackForEmptyNames) {
    for (auto raw : {"", ".", "..", "/", "C:\\", "...", "\x01\x02", " . "}) {
        EXPECT_EQ(sanitize_filename(raw), "file") << raw;
    }
}

TEST(FormFilename, ReplacesInvalidUtf8AndWindowsReservedCharacters) {
    EXPECT_EQ(sanitize_filename("caf\xE9.txt"), "caf_.txt");
    EXPECT_EQ(sanitize_filename("a:b?c*\"d\"<e>|.txt"), "a_b_c__d__e__.txt");
}

TEST(FormFilename, KeepsUnicodeNames) {
    EXPECT_EQ(sanitize_filename("Überweisung März 2024 – 東京.pdf"),
              "Überweisung März 2024 – 東京.pdf");
}

TEST(FormFilename, KeepsExtensionWhenShortening) {
    std::string const name = std::string(300, 'a') + ".pdf";
    std::string const sanitized = sanitize_filename(name);
    EXPECT_EQ(sanitized.size(), 255u);
    EXPECT_TRUE(sanitized.ends_with(".pdf"));
    EXPECT_TRUE(sanitized.starts_with("aaaa"));
}

TEST(FormFilename, ShortensWithoutSplittingCharacters) {
    std::string name;
    for (int i = 0; i < 200; ++i)
        name += "é"; // 400 bytes
    std::string const sanitized = sanitize_filename(name + ".txt");
    EXPECT_LE(sanitized.size(), 255u);
    EXPECT_TRUE(is_valid_utf8(sanitized));
    EXPECT_TRUE(sanitized.ends_with("é.txt"));

    std::string const no_extension = sanitize_filename(name);
    EXPECT_EQ(no_extension.size(), 254u);
    EXPECT_TRUE(is_valid_utf8(no_extension));
}

TEST(FormFilename, ShortensNamesWhoseExtensionIsTooLongToKeep) {
    std::string const name = "a." + std::string(300, 'b');
    std::string const sanitized = sanitize_filename(name);
    EXPECT_EQ(sanitized.size(), 255u);
    EXPECT_TRUE(sanitized.starts_with("a.bbb"));
}

TEST(FormFilename, IsIdempotent) {
    for (auto raw : {"../../etc/passwd", "  ..x. ", "caf\xE9.txt", "a:b.txt", ""}) {
        auto const once = sanitize_filename(raw);
        EXPECT_EQ(sanitize_filename(once), once) << raw;
    }
    std::string const long_name = std::string(254, 'x') + " " + std::string(10, 'y');
    auto const once = sanitize_filename(long_name);
    EXPECT_EQ(sanitize_filename(once), once);
}
