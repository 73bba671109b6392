#include "web/view.hpp"

#include <boost/url/url.hpp>
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
    const std::string lang = request.context.lang;
    data.set("lang", lang);
    data.set("organisation_name", m_site.organisation_name);
    data.set("csrf_token", request.context.csrf_token);
    // {{#t}}English text{{/t}} -> the translation, HTML-escaped. A lambda2's
    // result is inserted as is; a plain lambda's would be parsed as a
    // template again on every render (slow, and "{{" in a translation would
    // become template code).
    data.set("t",
             mustache::lambda2{[this, lang](const std::string& msgid, const mustache::renderer&) {
                 return mustache::html_escape<std::string>(m_translator.translate(lang, msgid));
             }});
}

http::Response View::page(const http::Request& request, std::string_view name,
                          std::string_view title_msgid, mustache::data data, int status) const {
    std::string title = m_translator.translate(request.context.lang, title_msgid);
    add_common(data, request);
    data.set("title", title);
    std::string content = m_templates->render(name, data);

    mustache::data layout;
    add_common(layout, request);
    layout.set("title", title);
    layout.set("content", content);
    layout.set("css_theme", m_css_theme);
    layout.set("css_components", m_css_components);
    layout.set("css_font", m_css_font);
    layout.set("css_app", m_css_app);
    layout.set("js_htmx", m_js_htmx);
    layout.set("favicon", m_favicon);
    layout.set("year", current_year());
    bool english = request.context.lang == "en";
    layout.set("switch_lang", english ? "nb" : "en");
    layout.set("switch_label", english ? "Norsk (bokmål)" : "English");
    boost::urls::url switch_url("/lang");
    switch_url.params().append({"set", english ? "nb" : "en"});
    switch_url.params().append({"next", request.path.empty() ? "/" : request.path});
    layout.set("switch_href", std::string(switch_url.buffer()));
    add_navigation(layout, request);
    return http::Response::html(m_templates->render("layout/base", layout), status);
}

void View::add_navigation(mustache::data& layout, const http::Request& request) const {
    const std::string& lang = request.context.lang;
    Navigation navigation;
    if (m_navigation)
        navigation = m_navigation(request);
    mustache::data items{mustache::data::type::list};
    for (const auto& item : navigation.items) {
        mustache::data entry;
        entry.set("href", item.href);
        entry.set("label", m_translator.translate(lang, item.label));
        bool current = item.href == "/"
                           ? request.path == "/"
                           : request.path == item.href || request.path.starts_with(item.href + "/");
        entry.set("current", current);
        items.push_back(entry);
    }
    layout.set("nav_items", items);
    if (!navigation.organisation_name.empty())
        layout.set("organisation_name", navigation.organisation_name);
    if (!navigation.user_name.empty()) {
        mustache::data user;
        user.set("name", navigation.user_name);
        std::string roles;
        for (const auto& role : navigation.roles) {
            if (!roles.empty())
                roles += ", ";
            roles += m_translator.translate(lang, role);
        }
        user.set("roles", roles);
        layout.set("user", user);
    }
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
