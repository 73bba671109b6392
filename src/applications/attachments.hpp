#pragma once

// Attachments of applications (issue 5 §3, DESIGN.md §7): what is accepted
// and how the bytes are kept. Pure apart from libmagic reading its database.
//
// The type is sniffed from the content with libmagic, never taken from the
// name or the client's Content-Type, and must be on the allow-list: PDF,
// DOCX, XLSX, ODT, ODS, PNG, JPEG. Office files are zip containers; libmagic
// 5.44 (Debian 12) looks inside them and reports the OOXML/ODF type.
//
// Bytes are stored base64-encoded (migrations/applications/001: SOCI binds
// strings as text on both engines) with libsodium's codec.

#include "core/error.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace spire::applications {

inline constexpr std::size_t MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

inline constexpr std::string_view MEDIA_PDF = "application/pdf";
inline constexpr std::string_view MEDIA_DOCX =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
inline constexpr std::string_view MEDIA_XLSX =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr std::string_view MEDIA_ODT = "application/vnd.oasis.opendocument.text";
inline constexpr std::string_view MEDIA_ODS = "application/vnd.oasis.opendocument.spreadsheet";
inline constexpr std::string_view MEDIA_PNG = "image/png";
inline constexpr std::string_view MEDIA_JPEG = "image/jpeg";

inline constexpr std::string_view ALLOWED_MEDIA_TYPES[] = {
    MEDIA_PDF, MEDIA_DOCX, MEDIA_XLSX, MEDIA_ODT, MEDIA_ODS, MEDIA_PNG, MEDIA_JPEG};

// libmagic's MIME type of the bytes ("application/pdf", "application/zip",
// "text/plain", ...), without parameters. Thread-safe: each thread opens
// the magic database once. Throws std::runtime_error if the database cannot
// be loaded (an installation fault).
std::string sniff_media_type(std::string_view bytes);

// Whether the media type is on the allow-list.
bool is_allowed_media_type(std::string_view media_type);

// An upload that passed the checks.
struct CheckedUpload {
    std::string file_name;  // sanitised (http::sanitize_filename)
    std::string media_type; // sniffed, allowed
    long long size_bytes = 0;
    std::string sha256; // lower-case hex
};

// Empty -> Invalid FILE_EMPTY; over MAX_ATTACHMENT_BYTES -> TooLarge
// FILE_TOO_LARGE; a type not allowed -> Invalid FILE_TYPE_NOT_ALLOWED; each
// with the field "file".
Result<CheckedUpload> check_upload(std::string_view file_name, std::string_view bytes);

// Standard base64 (with padding) via libsodium.
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);

} // namespace spire::applications
