// Attachment checks with real small files: the allow-listed types are
// recognised by their content (office files are zip containers that
// libmagic looks into), everything else is refused, as are empty and
// oversized files; names are sanitised; base64 round-trips.

#include "applications/attachments.hpp"
#include "applications/model.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>
#include <xlsxwriter.h>

namespace {

using namespace spire;
using namespace spire::applications;

// --- Building real files -------------------------------------------------------------

std::uint32_t crc32(const std::string& data) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char c : data) {
        crc ^= c;
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void put16(std::string& out, unsigned value) {
    out += static_cast<char>(value & 0xFF);
    out += static_cast<char>((value >> 8) & 0xFF);
}
void put32(std::string& out, std::uint32_t value) {
    put16(out, value & 0xFFFF);
    put16(out, value >> 16);
}

// A zip archive with every member stored (no compression), in order, as
// office suites write the ODF "mimetype" member first.
std::string stored_zip(const std::vector<std::pair<std::string, std::string>>& members) {
    std::string zip, central;
    for (const auto& [name, data] : members) {
        const std::uint32_t offset = static_cast<std::uint32_t>(zip.size());
        const std::uint32_t crc = crc32(data);
        put32(zip, 0x04034b50);
        put16(zip, 20);
        put16(zip, 0);
        put16(zip, 0); // stored
        put16(zip, 0);
        put16(zip, 0x21); // 1980-01-01
        put32(zip, crc);
        put32(zip, static_cast<std::uint32_t>(data.size()));
        put32(zip, static_cast<std::uint32_t>(data.size()));
        put16(zip, static_cast<unsigned>(name.size()));
        put16(zip, 0);
        zip += name;
        zip += data;

        put32(central, 0x02014b50);
        put16(central, 20);
        put16(central, 20);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0x21);
        put32(central, crc);
        put32(central, static_cast<std::uint32_t>(data.size()));
        put32(central, static_cast<std::uint32_t>(data.size()));
        put16(central, static_cast<unsigned>(name.size()));
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put16(central, 0);
        put32(central, 0);
        put32(central, offset);
        central += name;
    }
    const std::uint32_t central_offset = static_cast<std::uint32_t>(zip.size());
    zip += central;
    put32(zip, 0x06054b50);
    put16(zip, 0);
    put16(zip, 0);
    put16(zip, static_cast<unsigned>(members.size()));
    put16(zip, static_cast<unsigned>(members.size()));
    put32(zip, static_cast<std::uint32_t>(central.size()));
    put32(zip, central_offset);
    put16(zip, 0);
    return zip;
}

std::string docx() {
    return stored_zip(
        {{"[Content_Types].xml",
          "<?xml version=\"1.0\"?><Types "
          "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"></Types>"},
         {"_rels/.rels", "<Relationships/>"},
         {"word/document.xml", "<w:document/>"}});
}

std::string odf(const std::string& mimetype) {
    return stored_zip({{"mimetype", mimetype}, {"content.xml", "<office:document-content/>"}});
}

// A real workbook written by libxlsxwriter.
std::string xlsx() {
    std::string path = (std::filesystem::temp_directory_path() / "spire-att-XXXXXX").string();
    int fd = ::mkstemp(path.data());
    ::close(fd);
    lxw_workbook* workbook = workbook_new(path.c_str());
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
    worksheet_write_string(sheet, 0, 0, "Budsjett", nullptr);
    worksheet_write_number(sheet, 1, 0, 1234.5, nullptr);
    workbook_close(workbook);
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    return bytes;
}

std::string pdf() {
    return "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
           "trailer << /Root 1 0 R >>\n%%EOF\n";
}

std::string png() {
    // Signature and an IHDR chunk of a 1×1 image.
    return std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0"
                       "\x90\x77\x53\xde",
                       33);
}

std::string jpeg() {
    return std::string("\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xdb\0\x43\0",
                       25) +
           std::string(64, '\x10') + "\xff\xd9";
}

// --- Tests ---------------------------------------------------------------------------------

TEST(AttachmentTypes, RecognisesEveryAllowedTypeByContent) {
    EXPECT_EQ(sniff_media_type(pdf()), MEDIA_PDF);
    EXPECT_EQ(sniff_media_type(png()), MEDIA_PNG);
    EXPECT_EQ(sniff_media_type(jpeg()), MEDIA_JPEG);
    EXPECT_EQ(sniff_media_type(docx()), MEDIA_DOCX);
    EXPECT_EQ(sniff_media_type(xlsx()), MEDIA_XLSX);
    EXPECT_EQ(sniff_media_type(odf(std::string(MEDIA_ODT))), MEDIA_ODT);
    EXPECT_EQ(sniff_media_type(odf(std::string(MEDIA_ODS))), MEDIA_ODS);
}

TEST(AttachmentTypes, AcceptsAllowedFilesWhateverTheirName) {
    for (const auto& bytes : {pdf(), png(), jpeg(), docx(), xlsx(), odf(std::string(MEDIA_ODT)),
                              odf(std::string(MEDIA_ODS))}) {
        auto checked = check_upload("vedlegg.bin", bytes);
        ASSERT_TRUE(checked) << checked.error().detail;
        EXPECT_TRUE(is_allowed_media_type(checked->media_type));
        EXPECT_EQ(checked->size_bytes, static_cast<long long>(bytes.size()));
        EXPECT_EQ(checked->sha256.size(), 64u);
    }
}

TEST(AttachmentTypes, RefusesOtherTypesEvenWithAnAllowedName) {
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"søknad.pdf", "Dette er bare tekst.\n"},
        {"side.pdf", "<!DOCTYPE html><html><script>alert(1)</script></html>"},
        {"arkiv.docx", stored_zip({{"a.txt", "hallo"}})},
        {"bilde.png", "GIF89a\x01\0\x01\0\0\0\0;"},
        {"program.pdf", std::string("\x7f"
                                    "ELF\x02\x01\x01\0",
                                    8) +
                            std::string(64, '\0')},
    };
    for (const auto& [name, bytes] : refused) {
        auto checked = check_upload(name, bytes);
        ASSERT_FALSE(checked) << name;
        EXPECT_EQ(checked.error().kind, ErrorKind::Invalid);
        ASSERT_EQ(checked.error().fields.size(), 1u);
        EXPECT_EQ(checked.error().fields[0].field, "file");
        EXPECT_EQ(checked.error().fields[0].message, message::FILE_TYPE_NOT_ALLOWED);
    }
}

TEST(AttachmentLimits, RefusesEmptyAndOversizedFiles) {
    auto empty = check_upload("tom.pdf", "");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().fields.at(0).message, message::FILE_EMPTY);

    std::string big = pdf();
    big.resize(MAX_ATTACHMENT_BYTES + 1, ' ');
    auto oversized = check_upload("stor.pdf", big);
    ASSERT_FALSE(oversized);
    EXPECT_EQ(oversized.error().kind, ErrorKind::TooLarge);

    std::string largest = pdf();
    largest.resize(MAX_ATTACHMENT_BYTES, ' ');
    EXPECT_TRUE(check_upload("akkurat.pdf", largest));
}

TEST(AttachmentNames, AreSanitised) {
    auto checked = check_upload("../../etc/Budsjett 2018.pdf", pdf());
    ASSERT_TRUE(checked);
    EXPECT_EQ(checked->file_name.find('/'), std::string::npos);
    EXPECT_NE(checked->file_name.find("Budsjett"), std::string::npos);
    EXPECT_FALSE(check_upload("", pdf())->file_name.empty());
}

TEST(AttachmentStorage, Base64RoundTripsBinary) {
    std::string bytes;
    for (int i = 0; i < 256; ++i)
        bytes += static_cast<char>(i);
    for (std::size_t length : {0u, 1u, 2u, 3u, 4u, 255u, 256u}) {
        std::string part = bytes.substr(0, length);
        auto encoded = to_base64(part);
        EXPECT_EQ(encoded.size() % 4, 0u);
        EXPECT_EQ(from_base64(encoded), part);
    }
    EXPECT_FALSE(from_base64("not base64!"));
}

TEST(AttachmentTypes, SniffingWorksFromManyThreads) {
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 20; ++i) {
                if (sniff_media_type(i % 2 ? pdf() : png()) != (i % 2 ? MEDIA_PDF : MEDIA_PNG))
                    ++wrong;
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(wrong.load(), 0);
}

} // namespace
