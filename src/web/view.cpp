#include "web/view.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <chrono>
#include <date/date.h>

namespace spire::web {

namespace {

struct ErrorText {
    int status;
    std::string_view title;
    std::string_view explanation;
};

// msgids; translated in locale/*.po
constexpr ErrorText ERROR_TEXTS[] = {
    {400, "The request could not be understood",
     "Your browser sent something the server could not read. Go back and try again."},
    {403, "Access denied", "You do not have access to this page."},
    {404, "Page not found",
     "We could not find the page you asked for. It may have been moved or deleted."},
    {405, "Method not allowed", "This page cannot be used this way."},
    {413, "The request is too large",
     "What you sent is larger than this page accepts. Make files or text smaller and try again."},
    {431, "The request is too large",
     "Your browser sent too much header data. Deleting cookies for this site may help."},
    {500, "Something went wrong",
     "An error occurred on our side. Try again later. If the problem persists, contact us and "
     "give the error reference below."},
    {503, "Service unavailable", "The service is temporarily unavailable. Try again later."},
};

const ErrorText& error_text(int status) {
    for (const auto& text : ERROR_TEXTS) {
        if (text.status == status)
            return text;
    }
    return status >= 500 ? ERROR_TEXTS[6] : ERROR_TEXTS[0];
}

// /lang?set=<other language>&next=<this path>
std::string language_switch_href(const http::Request& request) {
    static constexpr auto NEXT_CHARS = boost::urls::unreserved_chars + '/';
    std::string href = request.context.lang == "en" ? "/lang?set=nb&next=" : "/lang?set=en&next=";
    href += boost::urls::encode(request.path.empty() ? std::string_view("/") : request.path,
                                NEXT_CHARS);
    return href;
}

std::string current_year() {
    auto today = date::floor<date::days>(std::chrono::system_clock::now());
    return std::to_string(int(date::year_month_day(today).year()));
}

} // namespace

View::View(std::shared_ptr<const Templates> templates, Translator translator,
           std::shared_ptr<const http::StaticFiles> static_files, SiteInfo site,
           NavigationProvider navigation)
    : m_templates(std::move(templates)), m_translator(std::move(translator)),
      m_static(std::move(static_files)), m_site(std::move(site)),
      m_navigation(std::move(navigation)) {
    m_css_theme = m_static->url("vendor/designsystemet/theme.css");
    m_css_components = m_static->url("vendor/designsystemet/index.css");
    m_css_font = m_static->url("vendor/inter/inter.css");
    m_css_app = m_static->url("css/app.css");
    m_js_htmx = m_static->url("vendor/htmx/htmx.min.js");
    m_favicon = m_static->url("favicon.svg");
}

void View::add_common(mustache::data& data, const http::Request& request) const {
    data.set("lang", request.context.lang);
    data.set("organisation_name", m_site.organisation_name);
    data.set("csrf_token", request.context.csrf_token);
}

http::Response View::page(const http::Request& request, std::string_view name,
                          std::string_view title_msgid, mustache::data data, int status) const {
    std::string title = m_translator.translate(request.context.lang, title_msgid);
    add_common(data, request);
    data.set("title", title);
    std::string content = m_templates->render(name, request.context.lang, data);

    Navigation navigation;
    if (m_navigation)
        navigation = m_navigation(request);
    LayoutSlots slots;
    slots[TITLE] = title;
    slots[ORGANISATION] = navigation.organisation_name.empty() ? m_site.organisation_name
                                                               : navigation.organisation_name;
    slots[CSRF_TOKEN] = request.context.csrf_token;
    std::string switch_href = language_switch_href(request);
    slots[SWITCH_HREF] = switch_href;
    std::string year = current_year();
    slots[YEAR] = year;
    slots[CONTENT] = content;
    slots[USER_NAME] = navigation.user_name;
    std::string roles = role_list(request.context.lang, navigation.roles);
    slots[USER_ROLES] = roles;
    return http::Response::html(layout_frame(request, navigation).fill(slots), status);
}

// The layout's structure for one request: its language, the menu and
// whether someone is logged in. Everything else is a slot.
const Frame& View::layout_frame(const http::Request& request, const Navigation& navigation) const {
    const std::string& lang = request.context.lang;
    std::vector<NavEntry> entries;
    entries.reserve(navigation.items.size());
    std::string key = lang;
    for (const auto& item : navigation.items) {
        bool current = item.href == "/"
                           ? request.path == "/"
                           : request.path == item.href || request.path.starts_with(item.href + "/");
        entries.push_back({item.href, m_translator.translate(lang, item.label), current});
        key.append(1, '\n').append(item.href).append(1, current ? '*' : ' ');
    }
    key += navigation.user_name.empty() ? "\nanonymous" : "\nuser";

    // Per thread, so no locking; per View, since tests run several apps.
    struct Cache {
        const View* view = nullptr;
        std::unordered_map<std::string, Frame> frames;
    };
    thread_local Cache cache;
    if (cache.view != this) {
        cache = Cache{};
        cache.view = this;
    }
    if (m_templates->reloads())
        cache.frames.clear();
    if (auto found = cache.frames.find(key); found != cache.frames.end())
        return found->second;
    if (cache.frames.size() >= 256) // bounded: menus come from a handful of role sets
        cache.frames.clear();
    Frame frame = Frame::split(m_templates->render(
        "layout/base", lang, layout_with_markers(lang, entries, !navigation.user_name.empty())));
    return cache.frames.emplace(std::move(key), std::move(frame)).first->second;
}

mustache::data View::layout_with_markers(const std::string& lang,
                                         const std::vector<NavEntry>& entries,
                                         bool logged_in) const {
    mustache::data layout;
    layout.set("lang", lang);
    layout.set("title", Frame::marker(TITLE));
    layout.set("organisation_name", Frame::marker(ORGANISATION));
    layout.set("csrf_token", Frame::marker(CSRF_TOKEN));
    layout.set("content", Frame::marker(CONTENT));
    layout.set("year", Frame::marker(YEAR));
    layout.set("switch_href", Frame::marker(SWITCH_HREF));
    layout.set("css_theme", m_css_theme);
    layout.set("css_components", m_css_components);
    layout.set("css_font", m_css_font);
    layout.set("css_app", m_css_app);
    layout.set("js_htmx", m_js_htmx);
    layout.set("favicon", m_favicon);
    bool english = lang == "en";
    layout.set("switch_lang", english ? "nb" : "en");
    layout.set("switch_label", english ? "Norsk (bokmål)" : "English");
    mustache::data items{mustache::data::type::list};
    for (const auto& entry : entries) {
        mustache::data item;
        item.set("href", entry.href);
        item.set("label", entry.label);
        item.set("current", entry.current);
        items.push_back(item);
    }
    layout.set("nav_items", items);
    if (logged_in) {
        mustache::data user;
        user.set("name", Frame::marker(USER_NAME));
        user.set("roles", Frame::marker(USER_ROLES));
        layout.set("user", user);
    }
    return layout;
}

std::string View::role_list(const std::string& lang, const std::vector<std::string>& roles) const {
    std::string list;
    for (const auto& role : roles) {
        if (!list.empty())
            list += ", ";
        list += m_translator.translate(lang, role);
    }
    return list;
}

http::Response View::error_page(const http::Request& request, int status) const {
    const ErrorText& text = error_text(status);
    mustache::data data;
    data.set("status", std::to_string(status));
    const std::string& explanation = request.context.error_message.empty()
                                         ? std::string(text.explanation)
                                         : request.context.error_message;
    data.set("explanation", m_translator.translate(request.context.lang, explanation));
    data.set("request_id", request.context.request_id);
    data.set("show_request_id", status >= 500 && !request.context.request_id.empty());
    return page(request, "errors/error", text.title, std::move(data), status);
}

http::Middleware language_from_cookie() {
    return [](http::Request& request, const http::Handler& next) {
        auto chosen = request.cookie(LANG_COOKIE);
        request.context.lang = chosen && Translator::is_supported(*chosen)
                                   ? std::string(*chosen)
                                   : std::string(DEFAULT_LANG);
        return next(request);
    };
}

} // namespace spire::web
