#include "web/templates.hpp"

#include <atomic>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace spire::web {

namespace {

constexpr std::string_view TRANSLATE_OPEN = "{{#t}}";
constexpr std::string_view TRANSLATE_CLOSE = "{{/t}}";

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read template " + path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Text spliced into a template source must stay text: braces become
// character references, which a browser shows as braces.
void append_as_template_text(std::string& out, const std::string& escaped) {
    for (char c : escaped) {
        if (c == '{')
            out += "&#123;";
        else if (c == '}')
            out += "&#125;";
        else
            out += c;
    }
}

std::unique_ptr<mustache::mustache> parse(const std::string& source) {
    auto parsed = std::make_unique<mustache::mustache>(source);
    parsed->set_custom_escape([](const std::string& text) { return html_escape(text); });
    return parsed;
}

// kainjow's render() is not const (it records errors in the object), so a
// parsed template must not be shared between threads. Each thread parses its
// own copy on first use; a generation number (unique per Templates instance)
// discards copies that belong to another instance.
struct ThreadCache {
    std::uint64_t generation = 0;
    std::unordered_map<std::string, std::unique_ptr<mustache::mustache>> parsed;
};

thread_local ThreadCache t_cache;

std::atomic<std::uint64_t> g_next_generation{1};

} // namespace

void append_html_escaped(std::string& out, std::string_view text) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::string_view replacement;
        switch (text[i]) {
        case '&':
            replacement = "&amp;";
            break;
        case '<':
            replacement = "&lt;";
            break;
        case '>':
            replacement = "&gt;";
            break;
        case '"':
            replacement = "&quot;";
            break;
        case '\'':
            replacement = "&apos;";
            break;
        default:
            continue;
        }
        out.append(text, start, i - start);
        out += replacement;
        start = i + 1;
    }
    out.append(text, start, std::string_view::npos);
}

std::string html_escape(const std::string& text) {
    if (text.find_first_of("&<>\"'") == std::string::npos)
        return text;
    std::string out;
    out.reserve(text.size() + 16);
    append_html_escaped(out, text);
    return out;
}

Templates::Sources Templates::read_all(const std::filesystem::path& dir) {
    if (!std::filesystem::is_directory(dir))
        throw std::runtime_error("template directory not found: " + dir.string());
    Sources sources;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".mustache")
            continue;
        std::string name =
            entry.path().lexically_relative(dir).replace_extension().generic_string();
        std::string text = read_text(entry.path());
        mustache::mustache check(text);
        if (!check.is_valid())
            throw std::runtime_error("template " + entry.path().string() + ": " +
                                     check.error_message());
        sources.emplace(std::move(name), std::move(text));
    }
    return sources;
}

std::shared_ptr<const Templates> Templates::load(std::filesystem::path dir, TemplateMode mode,
                                                 Localize localize) {
    auto templates = std::make_shared<Templates>();
    templates->m_sources = read_all(dir);
    templates->m_dir = std::move(dir);
    templates->m_mode = mode;
    templates->m_localize = std::move(localize);
    templates->m_generation = g_next_generation++;
    return templates;
}

std::string Templates::localized(const std::string& source, std::string_view lang) const {
    std::string out;
    out.reserve(source.size());
    std::size_t position = 0;
    while (true) {
        std::size_t open = source.find(TRANSLATE_OPEN, position);
        std::size_t close = open == std::string::npos
                                ? std::string::npos
                                : source.find(TRANSLATE_CLOSE, open + TRANSLATE_OPEN.size());
        if (close == std::string::npos) {
            out.append(source, position, std::string::npos);
            return out;
        }
        out.append(source, position, open - position);
        std::string_view msgid(source.data() + open + TRANSLATE_OPEN.size(),
                               close - open - TRANSLATE_OPEN.size());
        std::string text = m_localize ? m_localize(lang, msgid) : std::string(msgid);
        append_as_template_text(out, html_escape(text));
        position = close + TRANSLATE_CLOSE.size();
    }
}

std::string Templates::render(std::string_view name, std::string_view lang,
                              const mustache::data& data) const {
    const Sources* sources = &m_sources;
    Sources fresh;
    if (m_mode == TemplateMode::ReloadOnRender) {
        fresh = read_all(m_dir);
        sources = &fresh;
    }
    auto source = sources->find(std::string(name));
    if (source == sources->end())
        throw std::invalid_argument("unknown template: " + std::string(name));

    std::unique_ptr<mustache::mustache> reparsed;
    mustache::mustache* tmpl = nullptr;
    if (m_mode == TemplateMode::ReloadOnRender) {
        reparsed = parse(localized(source->second, lang));
        tmpl = reparsed.get();
    } else {
        if (t_cache.generation != m_generation) {
            t_cache.parsed.clear();
            t_cache.generation = m_generation;
        }
        std::string key;
        key.reserve(lang.size() + 1 + name.size());
        key.append(lang).append(1, '/').append(name);
        auto& slot = t_cache.parsed[key];
        if (!slot)
            slot = parse(localized(source->second, lang));
        tmpl = slot.get();
    }
    // Straight into one string: the default render() goes through an
    // ostringstream and copies the page once more.
    std::string out;
    out.reserve(8192);
    tmpl->render(data, [&out](const std::string& text) { out += text; });
    if (!tmpl->is_valid())
        throw std::runtime_error("rendering template " + std::string(name) + ": " +
                                 tmpl->error_message());
    return out;
}

} // namespace spire::web
