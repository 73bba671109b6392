#include "identity/routes.hpp"

#include "http/form.hpp"
#include "http/status.hpp"
#include "identity/web.hpp"
#include "web/pages.hpp"

#include <algorithm>

namespace spire::identity {

namespace {

using web::redirect_to_login;

std::string next_or(const http::Request& request, std::string_view fallback,
                    const http::Form* form = nullptr) {
    std::string next;
    if (form)
        next = std::string(form->get("next").value_or(""));
    if (next.empty())
        next = request.query_param("next").value_or("");
    return http::is_local_path(next) ? next : std::string(fallback);
}

http::Response login_page(const web::View& view, const http::Request& request,
                          const std::string& email, const std::string& next, const Error* error,
                          int status) {
    web::mustache::data data;
    data.set("email", email);
    data.set("next", next);
    if (error) {
        data.set("error", view.translate(request, error->message));
    }
    return view.page(request, "identity/login", "Log in", std::move(data), status);
}

http::Response show_login(const web::View& view, http::Request& request) {
    std::string next = next_or(request, "/profile");
    if (request.context.principal)
        return http::Response::redirect(next);
    auto cookie = issue_anonymous_csrf(request);
    http::Response response = login_page(view, request, "", next, nullptr, 200);
    if (cookie)
        response.headers.add("Set-Cookie", *cookie);
    return response;
}

http::Response do_login(IdentityService& service, const web::View& view,
                        const http::Request& request) {
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return login_page(view, request, "", next_or(request, "/profile"), &form.error(),
                          http::status_for(form.error().kind));
    std::string email(form->get("email").value_or(""));
    std::string password(form->get("password").value_or(""));
    std::string next = next_or(request, "/profile", &*form);
    auto session =
        service.login(email, password, request.remote_address, request.context.request_id);
    if (!session) {
        return login_page(view, request, email, next, &session.error(),
                          http::status_for(session.error().kind));
    }
    http::Response response = http::Response::redirect(next);
    response.headers.add("Set-Cookie", session_cookie(session->token));
    return response;
}

http::Response do_logout(IdentityService& service, const http::Request& request) {
    if (auto token = request.cookie(SESSION_COOKIE))
        service.logout(std::string(*token), request.context.request_id);
    http::Response response = http::Response::redirect("/");
    response.headers.add("Set-Cookie", expired_session_cookie());
    return response;
}

http::Response show_profile(IdentityService& service, const web::View& view,
                            const http::Request& request) {
    const Principal* user = request.context.principal.get();
    if (!user)
        return redirect_to_login(request);
    web::mustache::data data;
    data.set("name", user->name);
    data.set("email", user->email);
    if (auto organisation = service.organisation(user->organisation_id))
        data.set("organisation", organisation->name);
    web::mustache::data roles{web::mustache::data::type::list};
    for (const auto& grant : user->grants) {
        web::mustache::data role;
        role.set("label", view.translate(request, role_label(grant.role)));
        roles.push_back(role);
    }
    data.set("roles", roles);
    data.set("has_roles", !user->grants.empty());
    if (request.query_param("ended"))
        data.set("ended", true);
    return view.page(request, "identity/profile", "Profile", std::move(data));
}

http::Response do_logout_everywhere(IdentityService& service, const http::Request& request) {
    if (!request.context.principal)
        return redirect_to_login(request);
    auto ended = service.logout_everywhere(actor_of(request));
    if (!ended)
        return http::Response::empty(http::status_for(ended.error().kind));
    http::Response response = http::Response::redirect("/login");
    response.headers.add("Set-Cookie", expired_session_cookie());
    return response;
}

} // namespace

web::Navigation navigation_for(const http::Request& request) {
    web::Navigation navigation;
    navigation.items.push_back({"/", "Home"});
    const Principal* user = request.context.principal.get();
    if (!user)
        return navigation;
    navigation.user_name = user->name;
    for (const auto& grant : user->grants) {
        std::string label(role_label(grant.role));
        if (std::find(navigation.roles.begin(), navigation.roles.end(), label) ==
            navigation.roles.end())
            navigation.roles.push_back(label);
    }
    const bool admin = user->has_role(Role::Admin);
    const bool auditor = user->has_role(Role::Auditor);
    const bool fund_manager = user->has_role(Role::FundManager);
    const bool decision_maker = user->has_role(Role::DecisionMaker);
    if (admin || auditor || fund_manager || decision_maker)
        navigation.items.push_back({"/funds", "Funds"});
    const bool unit_leader = user->has_role(Role::UnitLeader);
    if (unit_leader || user->has_role(Role::Applicant))
        navigation.items.push_back({"/my", "My applications"});
    if (unit_leader)
        navigation.items.push_back({"/my/endorsements", "Endorsements"});
    if (user->has_role(Role::Reviewer))
        navigation.items.push_back({"/reviews", "My reviews"});
    if (decision_maker)
        navigation.items.push_back({"/decisions", "Decisions"});
    if (auditor || fund_manager || decision_maker)
        navigation.items.push_back({"/applications", "Applications"});
    if (admin || auditor || fund_manager)
        navigation.items.push_back({"/admin/users", "Users"});
    if (admin || auditor || fund_manager)
        navigation.items.push_back({"/admin/units", "Units"});
    if (admin || auditor)
        navigation.items.push_back({"/admin/audit", "Audit log"});
    navigation.items.push_back({"/profile", "Profile"});
    return navigation;
}

void register_identity_routes(http::Router& router, IdentityRoutesDeps deps) {
    auto service = deps.service;
    auto view = deps.view;
    router.get("/login", [view](http::Request& request) { return show_login(*view, request); });
    router.post("/login", [service, view](http::Request& request) {
        return do_login(*service, *view, request);
    });
    router.post("/logout",
                [service](http::Request& request) { return do_logout(*service, request); });
    router.get("/profile", [service, view](http::Request& request) {
        return show_profile(*service, *view, request);
    });
    router.post("/profile/logout-everywhere", [service](http::Request& request) {
        return do_logout_everywhere(*service, request);
    });
}

} // namespace spire::identity
