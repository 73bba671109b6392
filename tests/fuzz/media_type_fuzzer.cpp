// libFuzzer target for parse_media_type (Content-Type header values).
// Input: one header value. On success the result must be well formed and
// survive a round trip: serialising it (every parameter as a quoted string)
// and parsing that again gives the same media type.

#include "http/form.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace spire;
using namespace spire::http;

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

bool is_lower_token(std::string_view s) {
    for (char const c : s) {
        bool const ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                        std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        if (!ok)
            return false;
    }
    return !s.empty();
}

std::string serialise(const MediaType& media_type) {
    std::string out = media_type.type + "/" + media_type.subtype;
    for (auto const& [name, value] : media_type.parameters) {
        out += "; " + name + "=\"";
        for (char const c : value) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view const header(reinterpret_cast<const char*>(data), size);
    auto const media_type = parse_media_type(header);
    if (!media_type) {
        check(media_type.error().kind == ErrorKind::Invalid, "error kind");
        return 0;
    }
    check(is_lower_token(media_type->type), "type is a lower-case token");
    check(is_lower_token(media_type->subtype), "subtype is a lower-case token");
    for (std::size_t i = 0; i < media_type->parameters.size(); ++i) {
        auto const& [name, value] = media_type->parameters[i];
        check(is_lower_token(name), "parameter name is a lower-case token");
        check(media_type->parameter(name) == std::string_view(value), "parameter() finds it");
        for (std::size_t j = 0; j < i; ++j)
            check(media_type->parameters[j].first != name, "parameter names are unique");
    }

    auto const again = parse_media_type(serialise(*media_type));
    check(again.has_value(), "serialised media type parses");
    check(again->type == media_type->type && again->subtype == media_type->subtype &&
              again->parameters == media_type->parameters,
          "round trip keeps the media type");
    return 0;
}
