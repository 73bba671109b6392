#include "applications/attachments.hpp"

#include "applications/model.hpp"
#include "core/crypto.hpp"
#include "http/form.hpp"

#include <algorithm>
#include <magic.h>
#include <memory>
#include <sodium.h>
#include <stdexcept>

namespace spire::applications {

namespace {

struct MagicCloser {
    void operator()(magic_t cookie) const { magic_close(cookie); }
};
using Magic = std::unique_ptr<std::remove_pointer_t<magic_t>, MagicCloser>;

// magic_t is not thread-safe: one per thread, opened on first use.
magic_t thread_magic() {
    thread_local Magic cookie = [] {
        Magic made(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR));
        if (!made)
            throw std::runtime_error("libmagic: magic_open failed");
        if (magic_load(made.get(), nullptr) != 0)
            throw std::runtime_error(std::string("libmagic: ") + magic_error(made.get()));
        return made;
    }();
    return cookie.get();
}

} // namespace

std::string sniff_media_type(std::string_view bytes) {
    magic_t cookie = thread_magic();
    const char* type = magic_buffer(cookie, bytes.data(), bytes.size());
    if (type == nullptr)
        return "application/octet-stream";
    std::string media(type);
    if (auto semicolon = media.find(';'); semicolon != std::string::npos)
        media.resize(semicolon);
    return media;
}

bool is_allowed_media_type(std::string_view media_type) {
    return std::find(std::begin(ALLOWED_MEDIA_TYPES), std::end(ALLOWED_MEDIA_TYPES), media_type) !=
           std::end(ALLOWED_MEDIA_TYPES);
}

Result<CheckedUpload> check_upload(std::string_view file_name, std::string_view bytes) {
    if (bytes.empty())
        return tl::unexpected(Error::invalid(message::FILE_EMPTY, {{"file", message::FILE_EMPTY}}));
    if (bytes.size() > MAX_ATTACHMENT_BYTES) {
        Error error = Error::too_large(message::FILE_TOO_LARGE);
        error.fields.push_back({"file", message::FILE_TOO_LARGE});
        return tl::unexpected(std::move(error));
    }
    std::string media = sniff_media_type(bytes);
    if (!is_allowed_media_type(media)) {
        Error error = Error::invalid(message::FILE_TYPE_NOT_ALLOWED,
                                     {{"file", message::FILE_TYPE_NOT_ALLOWED}});
        error.detail = "sniffed " + media;
        return tl::unexpected(std::move(error));
    }
    CheckedUpload upload;
    upload.file_name = http::sanitize_filename(file_name);
    upload.media_type = std::move(media);
    upload.size_bytes = static_cast<long long>(bytes.size());
    upload.sha256 = sha256_hex(bytes);
    return upload;
}

std::string to_base64(std::string_view bytes) {
    constexpr int VARIANT = sodium_base64_VARIANT_ORIGINAL;
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), VARIANT), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), VARIANT);
    out.resize(out.size() - 1); // the terminating NUL
    return out;
}

std::optional<std::string> from_base64(std::string_view text) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return std::nullopt;
    out.resize(length);
    return out;
}

} // namespace spire::applications
