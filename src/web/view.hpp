#pragma once

// Renders pages into the common layout: header with the organisation and the
// language switch, skip link, landmarks, footer. Handlers call page(); the
// error-page middleware calls error_page().

#include "http/message.hpp"
#include "http/middleware.hpp"
#include "http/static_files.hpp"
#include "web/i18n.hpp"
#include "web/templates.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace spire::web {

struct SiteInfo {
    std::string organisation_name = "Spire";
};

class View {
public:
    View(std::shared_ptr<const Templates> templates, Translator translator,
         std::shared_ptr<const http::StaticFiles> static_files, SiteInfo site);

    // Renders templates/<name>.mustache with `data` (plus `t`, the translator
    // lambda) and places it in the layout under the translated title.
    http::Response page(const http::Request& request, std::string_view name,
                        std::string_view title_msgid, mustache::data data = mustache::data{},
                        int status = 200) const;

    http::Response error_page(const http::Request& request, int status) const;

    std::string translate(const http::Request& request, std::string_view msgid) const {
        return m_translator.translate(request.context.lang, msgid);
    }

    const SiteInfo& site() const { return m_site; }

private:
    void add_common(mustache::data& data, const http::Request& request) const;

    std::shared_ptr<const Templates> m_templates;
    Translator m_translator;
    std::shared_ptr<const http::StaticFiles> m_static;
    SiteInfo m_site;
    // Fingerprinted asset URLs, resolved once.
    std::string m_css_theme, m_css_components, m_css_font, m_css_app, m_js_htmx, m_favicon;
};

// The cookie that remembers the chosen language.
inline constexpr std::string_view LANG_COOKIE = "spire_lang";

// Sets request.context.lang from the cookie (nb when absent or unknown).
http::Middleware language_from_cookie();

} // namespace spire::web
