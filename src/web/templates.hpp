#pragma once

// Mustache templates (kainjow), HTML-escaped by default. All files under
// templates/ are parsed once at start; in dev mode they are re-read on every
// render so that editing a template needs no restart.
//
// Names are paths without the extension: templates/platform/home.mustache is
// "platform/home". Pages are rendered first and then placed into the layout
// (see web/view.hpp), so no partials are needed.

#include <cstdint>
#include <filesystem>
#include <kainjow/mustache.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace spire::web {

namespace mustache = kainjow::mustache;

enum class TemplateMode { Compiled, ReloadOnRender };

class Templates {
public:
    // Throws std::runtime_error naming the file when a template does not parse.
    static std::shared_ptr<const Templates> load(std::filesystem::path dir, TemplateMode mode);

    // Throws std::invalid_argument for an unknown template name and
    // std::runtime_error when rendering fails (a template bug).
    std::string render(std::string_view name, const mustache::data& data) const;

    bool has(std::string_view name) const { return m_sources.contains(std::string(name)); }

private:
    using Sources = std::unordered_map<std::string, std::string>;
    static Sources read_all(const std::filesystem::path& dir);

    std::filesystem::path m_dir;
    TemplateMode m_mode = TemplateMode::Compiled;
    std::uint64_t m_generation = 0;
    Sources m_sources;
};

} // namespace spire::web
