#pragma once

// Renders pages into the common layout: header with the organisation and the
// language switch, skip link, landmarks, footer. Handlers call page(); the
// error-page middleware calls error_page().

#include "http/message.hpp"
#include "http/middleware.hpp"
#include "http/static_files.hpp"
#include "web/frame.hpp"
#include "web/i18n.hpp"
#include "web/templates.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace spire::web {

struct SiteInfo {
    std::string organisation_name = "Spire";
};

// What the header shows for the person asking: the menu their roles allow,
// and who they are. Provided by the application, which knows the roles.
struct NavItem {
    std::string href;
    std::string label; // msgid
};
struct Navigation {
    std::vector<NavItem> items;
    std::string user_name; // empty when anonymous
    std::string organisation_name;
    std::vector<std::string> roles; // msgids
};
using NavigationProvider = std::function<Navigation(const http::Request&)>;

class View {
public:
    View(std::shared_ptr<const Templates> templates, Translator translator,
         std::shared_ptr<const http::StaticFiles> static_files, SiteInfo site,
         NavigationProvider navigation = {});

    // Renders templates/<name>.mustache with `data` (plus lang,
    // organisation_name, csrf_token and title) and places it in the layout
    // under the translated title.
    http::Response page(const http::Request& request, std::string_view name,
                        std::string_view title_msgid, mustache::data data = mustache::data{},
                        int status = 200) const;

    http::Response error_page(const http::Request& request, int status) const;

    std::string translate(const http::Request& request, std::string_view msgid) const {
        return m_translator.translate(request.context.lang, msgid);
    }

    const SiteInfo& site() const { return m_site; }

private:
    // The layout's per-request values (see web/frame.hpp).
    enum LayoutSlot : std::size_t {
        TITLE,
        ORGANISATION,
        CSRF_TOKEN,
        SWITCH_HREF,
        YEAR,
        CONTENT,
        USER_NAME,
        USER_ROLES,
        LAYOUT_SLOTS
    };
    using LayoutSlots = std::array<std::string_view, LAYOUT_SLOTS>;
    struct NavEntry {
        std::string href;
        std::string label; // translated
        bool current = false;
    };

    void add_common(mustache::data& data, const http::Request& request) const;
    const Frame& layout_frame(const http::Request& request, const Navigation& navigation) const;
    mustache::data layout_with_markers(const std::string& lang,
                                       const std::vector<NavEntry>& entries, bool logged_in) const;
    std::string role_list(const std::string& lang, const std::vector<std::string>& roles) const;

    std::shared_ptr<const Templates> m_templates;
    Translator m_translator;
    std::shared_ptr<const http::StaticFiles> m_static;
    SiteInfo m_site;
    NavigationProvider m_navigation;
    // Fingerprinted asset URLs, resolved once.
    std::string m_css_theme, m_css_components, m_css_font, m_css_app, m_js_htmx, m_favicon;
};

// The cookie that remembers the chosen language.
inline constexpr std::string_view LANG_COOKIE = "spire_lang";

// Sets request.context.lang from the cookie (nb when absent or unknown).
http::Middleware language_from_cookie();

} // namespace spire::web
