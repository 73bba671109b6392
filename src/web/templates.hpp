#pragma once

// Mustache templates (kainjow), HTML-escaped by default. All files under
// templates/ are parsed once at start; in dev mode they are re-read on every
// render so that editing a template needs no restart.
//
// Names are paths without the extension: templates/platform/home.mustache is
// "platform/home". Pages are rendered first and then placed into the layout
// (see web/view.hpp), so no partials are needed.
//
// Translatable text is written {{#t}}English text{{/t}}. It is translated
// when a template is compiled, once per language, not on every render: the
// translation (HTML-escaped) replaces the section in the source, so a page
// view pays nothing for its dozens of strings. The text inside is taken
// literally (no tags are expanded in it), and braces in a translation can
// never turn into template code.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <kainjow/mustache.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace spire::web {

namespace mustache = kainjow::mustache;

enum class TemplateMode { Compiled, ReloadOnRender };

// Translates an English msgid into lang (see web/i18n.hpp).
using Localize = std::function<std::string(std::string_view lang, std::string_view msgid)>;

class Templates {
public:
    // Throws std::runtime_error naming the file when a template does not
    // parse. Without localize, {{#t}} sections keep their English text.
    static std::shared_ptr<const Templates> load(std::filesystem::path dir, TemplateMode mode,
                                                 Localize localize = {});

    // Throws std::invalid_argument for an unknown template name and
    // std::runtime_error when rendering fails (a template bug).
    std::string render(std::string_view name, std::string_view lang,
                       const mustache::data& data) const;

    // Whether templates are re-read on every render (dev mode).
    bool reloads() const { return m_mode == TemplateMode::ReloadOnRender; }

    bool has(std::string_view name) const { return m_sources.contains(std::string(name)); }

private:
    using Sources = std::unordered_map<std::string, std::string>;
    static Sources read_all(const std::filesystem::path& dir);
    std::string localized(const std::string& source, std::string_view lang) const;

    std::filesystem::path m_dir;
    TemplateMode m_mode = TemplateMode::Compiled;
    std::uint64_t m_generation = 0;
    Sources m_sources;
    Localize m_localize;
};

// HTML-escapes & < > " ' exactly as kainjow's default does, without its
// per-character appends (escaping is much of a page's render time).
std::string html_escape(const std::string& text);
void append_html_escaped(std::string& out, std::string_view text);

} // namespace spire::web
