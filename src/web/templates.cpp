#include "web/templates.hpp"

#include <atomic>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace spire::web {

namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read template " + path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
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

std::shared_ptr<const Templates> Templates::load(std::filesystem::path dir, TemplateMode mode) {
    auto templates = std::make_shared<Templates>();
    templates->m_sources = read_all(dir);
    templates->m_dir = std::move(dir);
    templates->m_mode = mode;
    templates->m_generation = g_next_generation++;
    return templates;
}

std::string Templates::render(std::string_view name, const mustache::data& data) const {
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
        reparsed = std::make_unique<mustache::mustache>(source->second);
        tmpl = reparsed.get();
    } else {
        if (t_cache.generation != m_generation) {
            t_cache.parsed.clear();
            t_cache.generation = m_generation;
        }
        auto& slot = t_cache.parsed[source->first];
        if (!slot)
            slot = std::make_unique<mustache::mustache>(source->second);
        tmpl = slot.get();
    }
    std::string out = tmpl->render(data);
    if (!tmpl->is_valid())
        throw std::runtime_error("rendering template " + std::string(name) + ": " +
                                 tmpl->error_message());
    return out;
}

} // namespace spire::web
