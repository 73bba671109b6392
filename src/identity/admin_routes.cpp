#include "identity/admin_routes.hpp"

#include "core/text.hpp"
#include "core/time.hpp"
#include "http/form.hpp"
#include "http/status.hpp"
#include "http/utf8.hpp"
#include "identity/policy.hpp"
#include "identity/routes.hpp"
#include "identity/web.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <algorithm>
#include <initializer_list>
#include <map>
#include <unordered_map>
#include <utility>

namespace spire::identity {

namespace {

constexpr int USERS_PER_PAGE = 50;
constexpr int AUDIT_PER_PAGE = 50;

// The actions and target types the identity module writes, offered as
// suggestions in the audit filter (other modules add their own later).
constexpr std::string_view KNOWN_AUDIT_ACTIONS[] = {
    "grant.add",        "grant.remove",      "login.failure",       "login.success",
    "logout",           "logout.everywhere", "organisation.create", "unit.create",
    "unit.update",      "user.activate",     "user.create",         "user.deactivate",
    "user.set_password"};
constexpr std::string_view KNOWN_AUDIT_TARGET_TYPES[] = {"organisation", "unit", "user"};

// What ?done=... on a page after a successful POST says (msgids).
constexpr std::pair<std::string_view, std::string_view> USER_NOTICES[] = {
    {"created", "The user was added. You can give them roles below."},
    {"granted", "The role was given."},
    {"revoked", "The role was removed."},
    {"activated", "The user was reactivated."},
    {"deactivated", "The user was deactivated and logged out everywhere."},
};
constexpr std::pair<std::string_view, std::string_view> UNIT_NOTICES[] = {
    {"created", "The unit was added."},
    {"updated", "The unit was saved."},
};

// --- Small helpers ---------------------------------------------------------

using web::add_error;
using web::add_pagination;
using web::Data;
using web::FieldRef;
using web::fill;
using web::form_status;
using web::form_text;
using web::href_with;
using web::make_list;
using web::notice_for;
using web::option;
using web::page_param;
using web::parse_optional_id;
using web::redirect_to_login;
using web::refuse;
using web::shown_on_page;
using web::text_param;
using web::Translate;

std::string user_href(Id id) {
    return "/admin/users/" + std::to_string(id);
}

const Principal* principal_of(const http::Request& request) {
    return request.context.principal.get();
}

bool allowed(const Principal& user, IdentityAction action, IdentityResource resource) {
    return static_cast<bool>(authorize(&user, action, resource));
}

// The roles this user may give (mirrors identity/policy.cpp: administrators
// give every role, fund managers reviewer and decision-maker roles).
std::vector<Role> grantable_roles(const Principal& user) {
    if (allowed(user, IdentityAction::ChangeGrants, {user.organisation_id}))
        return {std::begin(ALL_ROLES), std::end(ALL_ROLES)};
    if (user.has_role(Role::FundManager))
        return {Role::Reviewer, Role::DecisionMaker};
    return {};
}

// --- Units as the pages show them ---------------------------------------------

class UnitIndex {
public:
    explicit UnitIndex(const std::vector<OrgUnit>& units) : m_units(units) {
        for (const auto& unit : m_units)
            m_by_id.emplace(unit.id, &unit);
        for (const auto& unit : m_units) {
            if (unit.parent_id && m_by_id.contains(*unit.parent_id))
                m_children[*unit.parent_id].push_back(&unit);
            else
                m_roots.push_back(&unit);
        }
        auto by_name = [](const OrgUnit* a, const OrgUnit* b) { return a->name < b->name; };
        std::sort(m_roots.begin(), m_roots.end(), by_name);
        for (auto& [id, children] : m_children)
            std::sort(children.begin(), children.end(), by_name);
    }

    const OrgUnit* find(Id id) const {
        auto it = m_by_id.find(id);
        return it == m_by_id.end() ? nullptr : it->second;
    }
    const std::vector<const OrgUnit*>& roots() const { return m_roots; }
    const std::vector<const OrgUnit*>& children(Id id) const {
        static const std::vector<const OrgUnit*> none;
        auto it = m_children.find(id);
        return it == m_children.end() ? none : it->second;
    }

    // "Oppvekst › Barnehager › Bekkestua barnehage".
    std::string path(const OrgUnit& unit) const {
        std::string result = unit.name;
        const OrgUnit* at = &unit;
        // Three levels exist; the limit only guards against bad data.
        for (int depth = 0; depth < 5 && at->parent_id; ++depth) {
            at = find(*at->parent_id);
            if (!at)
                break;
            result = at->name + " › " + result;
        }
        return result;
    }

    // Units of one kind, by path, for a select.
    std::vector<const OrgUnit*> of_kind(UnitKind kind) const {
        std::vector<const OrgUnit*> result;
        for (const auto& unit : m_units) {
            if (unit.kind == kind)
                result.push_back(&unit);
        }
        std::sort(result.begin(), result.end(),
                  [this](const OrgUnit* a, const OrgUnit* b) { return path(*a) < path(*b); });
        return result;
    }

private:
    const std::vector<OrgUnit>& m_units;
    std::unordered_map<Id, const OrgUnit*> m_by_id;
    std::unordered_map<Id, std::vector<const OrgUnit*>> m_children;
    std::vector<const OrgUnit*> m_roots;
};

// Options for a parent select: the active units of `kind`, plus the one
// currently chosen even if inactive (so that saving does not move the unit).
Data parent_options(const UnitIndex& index, const Translate& tr, UnitKind kind,
                    std::string_view selected) {
    Data options = make_list();
    for (const OrgUnit* unit : index.of_kind(kind)) {
        std::string value = std::to_string(unit->id);
        bool is_selected = value == selected;
        if (!unit->active && !is_selected)
            continue;
        std::string label = index.path(*unit);
        if (!unit->active)
            label += " (" + tr("inactive") + ")";
        options.push_back(option(std::move(value), std::move(label), is_selected));
    }
    return options;
}

// --- Users: list -------------------------------------------------------------

http::Response show_users(IdentityService& service, const web::View& view, http::Request& request) {
    const Principal* user = principal_of(request);
    if (!user)
        return redirect_to_login(request);
    Translate tr{view, request};
    std::string query = text_param(request, "q");
    int page = page_param(request);
    auto found =
        service.search_users(actor_of(request), user->organisation_id, query, page, USERS_PER_PAGE);
    if (!found)
        return refuse(request, found.error());

    Data data;
    data.set("q", query);
    data.set("searched", !query.empty());
    data.set("can_create", allowed(*user, IdentityAction::CreateUser, {user->organisation_id}));
    Data rows = make_list();
    for (const auto& found_user : found->users) {
        Data row;
        row.set("href", user_href(found_user.id));
        row.set("name", found_user.name);
        row.set("email", found_user.email);
        row.set("active", found_user.active);
        rows.push_back(row);
    }
    data.set("users", rows);
    data.set("has_users", !found->users.empty());
    data.set("beyond_last_page", found->users.empty() && found->total > 0);
    data.set("first_href", href_with("/admin/users", {{"q", query}}));
    data.set("count_text",
             fill(tr("Users found: {count}"), {{"count", std::to_string(found->total)}}));
    add_pagination(data, tr, page, found->total, USERS_PER_PAGE, [&](int to) {
        return href_with("/admin/users",
                         {{"q", query}, {"page", to > 1 ? std::to_string(to) : std::string()}});
    });
    return view.page(request, "identity/admin_users", "Users", std::move(data));
}

// --- Users: new ------------------------------------------------------------------

http::Response user_form(const web::View& view, const http::Request& request, const NewUser& input,
                         const Error* error, int status) {
    Translate tr{view, request};
    Data data;
    data.set("name", input.name);
    data.set("email", input.email);
    data.set("phone", input.phone);
    // The password is never sent back: it would sit in the page's HTML.
    if (error) {
        add_error(
            data, tr, *error,
            {{"name", "name"}, {"email", "email"}, {"phone", "phone"}, {"password", "password"}});
        data.set("password_again", !input.password.empty());
    }
    return view.page(request, "identity/admin_user_new", "New user", std::move(data), status);
}

http::Response show_new_user(const web::View& view, http::Request& request) {
    const Principal* user = principal_of(request);
    if (!user)
        return redirect_to_login(request);
    Decision decision = authorize(user, IdentityAction::CreateUser, {user->organisation_id});
    if (!decision)
        return refuse(request, decision.to_error());
    return user_form(view, request, {}, nullptr, 200);
}

http::Response create_user(IdentityService& service, const web::View& view,
                           http::Request& request) {
    const Principal* user = principal_of(request);
    if (!user)
        return redirect_to_login(request);
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    NewUser input;
    input.organisation_id = user->organisation_id;
    input.name = form_text(*form, "name");
    input.email = form_text(*form, "email");
    input.phone = form_text(*form, "phone");
    input.password = form_text(*form, "password");
    auto created = service.create_user(actor_of(request), input);
    if (!created) {
        if (!shown_on_page(created.error()))
            return refuse(request, created.error());
        return user_form(view, request, input, &created.error(), form_status(created.error()));
    }
    return http::Response::redirect(href_with(user_href(*created), {{"done", "created"}}));
}

// --- Users: one user ---------------------------------------------------------------

// What the grant form held when it was sent, to show it again on an error.
struct GrantInput {
    std::string role;
    std::string unit_id;
    std::string fund_id;
};

struct UserPageState {
    GrantInput grant;
    const Error* error = nullptr;
    int status = 200;
};

const FundChoice* find_fund(const std::vector<FundChoice>& funds, Id id) {
    auto it = std::find_if(funds.begin(), funds.end(),
                           [id](const FundChoice& fund) { return fund.id == id; });
    return it == funds.end() ? nullptr : &*it;
}

std::string grant_scope_text(const Grant& grant, const UnitIndex& units,
                             const std::vector<FundChoice>& funds, const Translate& tr) {
    if (grant.unit_id) {
        const OrgUnit* unit = units.find(*grant.unit_id);
        if (unit)
            return units.path(*unit);
        return fill(tr("Unit {id}"), {{"id", std::to_string(*grant.unit_id)}});
    }
    if (grant.fund_id) {
        if (const FundChoice* fund = find_fund(funds, *grant.fund_id))
            return fund->name;
        return fill(tr("Fund {id}"), {{"id", std::to_string(*grant.fund_id)}});
    }
    return tr("The whole organisation");
}

http::Response render_user(IdentityService& service, const web::View& view,
                           const FundDirectory& funds, http::Request& request, Id user_id,
                           const UserPageState& state) {
    const Principal* user = principal_of(request);
    Translate tr{view, request};
    Actor actor = actor_of(request);
    auto detail = service.user_detail(actor, user->organisation_id, user_id);
    if (!detail)
        return refuse(request, detail.error());
    // Units name the grants' scope and fill the unit select. Everyone who
    // may see users may see units; without them the page still works.
    std::vector<OrgUnit> unit_list =
        service.units(actor, user->organisation_id).value_or(std::vector<OrgUnit>{});
    UnitIndex units(unit_list);
    const std::vector<FundChoice> fund_list =
        funds ? funds(user->organisation_id) : std::vector<FundChoice>{};

    const Id organisation = user->organisation_id;
    const bool can_change_user = allowed(*user, IdentityAction::ChangeUser, {organisation});
    const std::vector<Role> roles = grantable_roles(*user);

    Data data;
    data.set("user_id", std::to_string(detail->user.id));
    data.set("user_name", detail->user.name);
    data.set("email", detail->user.email);
    data.set("phone", detail->user.phone);
    data.set("has_phone", !detail->user.phone.empty());
    data.set("active", detail->user.active);
    data.set("can_change_user", can_change_user);
    data.set("is_self", detail->user.id == user->user_id);
    if (std::string notice = notice_for(request, tr, USER_NOTICES); !notice.empty())
        data.set("notice", notice);

    bool any_revocable = false;
    Data grants = make_list();
    for (const auto& grant : detail->grants) {
        bool can_revoke = allowed(*user, IdentityAction::ChangeGrants,
                                  {organisation, grant.role, grant.fund_id}) &&
                          !(grant.user_id == user->user_id && grant.role == Role::Admin);
        any_revocable = any_revocable || can_revoke;
        Data row;
        row.set("role_label", tr(role_label(grant.role)));
        row.set("scope_text", grant_scope_text(grant, units, fund_list, tr));
        row.set("can_revoke", can_revoke);
        row.set("revoke_action",
                user_href(detail->user.id) + "/grants/" + std::to_string(grant.id) + "/revoke");
        grants.push_back(row);
    }
    data.set("grants", grants);
    data.set("has_grants", !detail->grants.empty());
    data.set("show_actions", any_revocable);

    data.set("can_grant", !roles.empty());
    Data role_options = make_list();
    for (Role role : roles) {
        std::string key(role_key(role));
        role_options.push_back(option(key, tr(role_label(role)), key == state.grant.role));
    }
    data.set("role_options", role_options);
    Data unit_options = make_list();
    for (UnitKind kind : {UnitKind::ServiceUnit, UnitKind::Unit, UnitKind::Sector}) {
        Data options = parent_options(units, tr, kind, state.grant.unit_id);
        if (options.is_non_empty_list()) {
            Data group;
            group.set("label", tr(kind == UnitKind::ServiceUnit ? "Service units"
                                  : kind == UnitKind::Unit      ? "Units"
                                                                : "Sectors"));
            group.set("options", options);
            unit_options.push_back(group);
        }
    }
    data.set("unit_groups", unit_options);
    Data fund_options = make_list();
    fund_options.push_back(option("", tr("All funds"), state.grant.fund_id.empty()));
    for (const auto& fund : fund_list) {
        std::string value = std::to_string(fund.id);
        fund_options.push_back(option(value, fund.name, value == state.grant.fund_id));
    }
    data.set("fund_options", fund_options);

    if (state.error) {
        add_error(data, tr, *state.error,
                  {{"role", "role"}, {"unit_id", "unit_id"}, {"fund_id", "fund_id"}});
    }
    return view.page(request, "identity/admin_user", "User", std::move(data), state.status);
}

http::Response show_user(IdentityService& service, const web::View& view,
                         const FundDirectory& funds, http::Request& request) {
    if (!principal_of(request))
        return redirect_to_login(request);
    auto id = request.param_int("id");
    if (!id)
        return http::Response::empty(404);
    return render_user(service, view, funds, request, *id, {});
}

// After a failed POST on the user's page: the page again with the error, or
// the error page when the page itself cannot be shown.
http::Response user_post_failed(IdentityService& service, const web::View& view,
                                const FundDirectory& funds, http::Request& request, Id user_id,
                                const Error& error, GrantInput grant = {}) {
    if (!shown_on_page(error))
        return refuse(request, error);
    return render_user(service, view, funds, request, user_id,
                       {std::move(grant), &error, form_status(error)});
}

// A POST to a page needs a login; afterwards the user lands on the page.
http::Response login_first(std::string_view page) {
    return http::Response::redirect(href_with("/login", {{"next", std::string(page)}}));
}

http::Response set_active(IdentityService& service, const web::View& view,
                          const FundDirectory& funds, http::Request& request) {
    auto id = request.param_int("id");
    if (!id)
        return http::Response::empty(404);
    const Principal* user = principal_of(request);
    if (!user)
        return login_first(user_href(*id));
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    std::string active = form_text(*form, "active");
    if (active != "0" && active != "1")
        return refuse(request, Error::invalid("The form could not be read."));
    auto changed =
        service.set_user_active(actor_of(request), user->organisation_id, *id, active == "1");
    if (!changed)
        return user_post_failed(service, view, funds, request, *id, changed.error());
    return http::Response::redirect(
        href_with(user_href(*id), {{"done", active == "1" ? "activated" : "deactivated"}}));
}

http::Response add_grant(IdentityService& service, const web::View& view,
                         const FundDirectory& funds, http::Request& request) {
    auto id = request.param_int("id");
    if (!id)
        return http::Response::empty(404);
    const Principal* user = principal_of(request);
    if (!user)
        return login_first(user_href(*id));
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    GrantInput input{form_text(*form, "role"), form_text(*form, "unit_id"),
                     form_text(*form, "fund_id")};

    std::vector<FieldError> problems;
    auto role = parse_role(input.role);
    if (!role)
        problems.push_back({"role", "Choose a role."});
    auto unit_id = parse_optional_id(input.unit_id);
    if (!unit_id)
        problems.push_back({"unit_id", "Choose the unit the role applies to."});
    auto fund_id = parse_optional_id(input.fund_id);
    if (!fund_id || (*fund_id && (!funds || !find_fund(funds(user->organisation_id), **fund_id))))
        problems.push_back({"fund_id", "Choose one of the organisation's funds, or all funds."});
    if (!problems.empty()) {
        Error error = Error::invalid("Check the fields marked below.", std::move(problems));
        return user_post_failed(service, view, funds, request, *id, error, std::move(input));
    }

    Grant grant;
    grant.user_id = *id;
    grant.organisation_id = user->organisation_id;
    grant.role = *role;
    grant.unit_id = *unit_id;
    grant.fund_id = *fund_id;
    auto granted = service.grant_role(actor_of(request), grant);
    if (!granted) {
        Error error = granted.error();
        // The service names no field for a fund on a role without funds.
        if (error.kind == ErrorKind::Invalid && error.fields.empty() && grant.fund_id)
            error.fields.push_back({"fund_id", error.message});
        return user_post_failed(service, view, funds, request, *id, error, std::move(input));
    }
    return http::Response::redirect(href_with(user_href(*id), {{"done", "granted"}}));
}

http::Response revoke_grant(IdentityService& service, const web::View& view,
                            const FundDirectory& funds, http::Request& request) {
    auto id = request.param_int("id");
    auto grant_id = request.param_int("grant");
    if (!id || !grant_id)
        return http::Response::empty(404);
    const Principal* user = principal_of(request);
    if (!user)
        return login_first(user_href(*id));
    // The grant must be this user's: a grant id under another user's page
    // is as unknown as one that does not exist.
    auto detail = service.user_detail(actor_of(request), user->organisation_id, *id);
    if (!detail)
        return refuse(request, detail.error());
    bool theirs = std::any_of(detail->grants.begin(), detail->grants.end(),
                              [&](const Grant& grant) { return grant.id == *grant_id; });
    if (!theirs)
        return http::Response::empty(404);
    auto revoked = service.revoke_grant(actor_of(request), user->organisation_id, *grant_id);
    if (!revoked)
        return user_post_failed(service, view, funds, request, *id, revoked.error());
    return http::Response::redirect(href_with(user_href(*id), {{"done", "revoked"}}));
}

// --- Units -------------------------------------------------------------------------

// What the add-unit form held when it was sent.
struct UnitInput {
    std::string name;
    std::string kind = "service_unit";
    std::string parent_id;
};

Data unit_item(const OrgUnit& unit, const UnitIndex& index, const Translate& tr, int depth) {
    Data item;
    item.set("id", std::to_string(unit.id));
    item.set("name", unit.name);
    item.set("kind_label", tr(unit_kind_label(unit.kind)));
    item.set("inactive", !unit.active);
    item.set("edit_href", "/admin/units/" + std::to_string(unit.id));
    Data children = make_list();
    // Three levels (sector, unit, service unit): the template nests three.
    if (depth < 3) {
        for (const OrgUnit* child : index.children(unit.id))
            children.push_back(unit_item(*child, index, tr, depth + 1));
    }
    item.set("has_children", children.is_non_empty_list());
    item.set("children", children);
    return item;
}

http::Response render_units(IdentityService& service, const web::View& view, http::Request& request,
                            const UnitInput& input, const Error* error, int status) {
    const Principal* user = principal_of(request);
    Translate tr{view, request};
    auto units = service.units(actor_of(request), user->organisation_id);
    if (!units)
        return refuse(request, units.error());
    UnitIndex index(*units);

    Data data;
    Data tree = make_list();
    for (const OrgUnit* root : index.roots())
        tree.push_back(unit_item(*root, index, tr, 1));
    data.set("tree", tree);
    data.set("has_units", !units->empty());
    data.set("can_change", allowed(*user, IdentityAction::ChangeUnits, {user->organisation_id}));
    if (std::string notice = notice_for(request, tr, UNIT_NOTICES); !notice.empty())
        data.set("notice", notice);

    data.set("name", input.name);
    Data kinds = make_list();
    for (UnitKind kind : {UnitKind::Sector, UnitKind::Unit, UnitKind::ServiceUnit}) {
        std::string key(unit_kind_key(kind));
        kinds.push_back(option(key, tr(unit_kind_label(kind)), key == input.kind));
    }
    data.set("kind_options", kinds);
    Data sectors = parent_options(index, tr, UnitKind::Sector, input.parent_id);
    Data parents = parent_options(index, tr, UnitKind::Unit, input.parent_id);
    data.set("has_sector_options", sectors.is_non_empty_list());
    data.set("has_unit_options", parents.is_non_empty_list());
    data.set("sector_options", sectors);
    data.set("unit_options", parents);
    if (error) {
        add_error(data, tr, *error,
                  {{"name", "unit-name"}, {"kind", "unit-kind"}, {"parent_id", "unit-parent"}});
    }
    return view.page(request, "identity/admin_units", "Units", std::move(data), status);
}

http::Response show_units(IdentityService& service, const web::View& view, http::Request& request) {
    if (!principal_of(request))
        return redirect_to_login(request);
    return render_units(service, view, request, {}, nullptr, 200);
}

http::Response create_unit(IdentityService& service, const web::View& view,
                           http::Request& request) {
    const Principal* user = principal_of(request);
    if (!user)
        return login_first("/admin/units");
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    UnitInput input{form_text(*form, "name"), form_text(*form, "kind"),
                    form_text(*form, "parent_id")};

    std::vector<FieldError> problems;
    auto kind = parse_unit_kind(input.kind);
    if (!kind)
        problems.push_back({"kind", "Choose the kind of unit."});
    auto parent_id = parse_optional_id(input.parent_id);
    if (!parent_id)
        problems.push_back({"parent_id", "The parent unit does not exist."});
    if (!problems.empty()) {
        Error error = Error::invalid("Check the fields marked below.", std::move(problems));
        return render_units(service, view, request, input, &error, 422);
    }

    OrgUnit unit;
    unit.organisation_id = user->organisation_id;
    unit.kind = *kind;
    unit.parent_id = *parent_id;
    unit.name = input.name;
    auto created = service.create_unit(actor_of(request), unit);
    if (!created) {
        if (!shown_on_page(created.error()))
            return refuse(request, created.error());
        return render_units(service, view, request, input, &created.error(),
                            form_status(created.error()));
    }
    return http::Response::redirect("/admin/units?done=created#unit-" + std::to_string(*created));
}

// What the edit form held when it was sent.
struct UnitEdit {
    std::string name;
    std::string parent_id;
    std::string active;
};

http::Response render_unit_edit(IdentityService& service, const web::View& view,
                                http::Request& request, Id unit_id, const UnitEdit* input,
                                const Error* error, int status) {
    const Principal* user = principal_of(request);
    Translate tr{view, request};
    // Only those who may change units see the form; others read the tree.
    Decision decision = authorize(user, IdentityAction::ChangeUnits, {user->organisation_id});
    if (!decision)
        return refuse(request, decision.to_error());
    auto units = service.units(actor_of(request), user->organisation_id);
    if (!units)
        return refuse(request, units.error());
    UnitIndex index(*units);
    const OrgUnit* unit = index.find(unit_id);
    if (!unit)
        return http::Response::empty(404);

    UnitEdit shown =
        input ? *input
              : UnitEdit{unit->name, unit->parent_id ? std::to_string(*unit->parent_id) : "",
                         unit->active ? "1" : "0"};
    Data data;
    data.set("unit_id", std::to_string(unit->id));
    data.set("unit_name", unit->name);
    data.set("kind_label", tr(unit_kind_label(unit->kind)));
    data.set("name", shown.name);
    data.set("has_parent", unit->kind != UnitKind::Sector);
    UnitKind parent_kind = unit->kind == UnitKind::ServiceUnit ? UnitKind::Unit : UnitKind::Sector;
    data.set("parent_label",
             tr(parent_kind == UnitKind::Unit ? "Belongs to unit" : "Belongs to sector"));
    data.set("parent_options", parent_options(index, tr, parent_kind, shown.parent_id));
    data.set("active_options", [&] {
        Data options = make_list();
        options.push_back(option("1", tr("Active"), shown.active != "0"));
        options.push_back(option("0", tr("Inactive"), shown.active == "0"));
        return options;
    }());
    if (error) {
        add_error(data, tr, *error,
                  {{"name", "name"}, {"parent_id", "parent_id"}, {"active", "active"}});
    }
    return view.page(request, "identity/admin_unit_edit", "Edit unit", std::move(data), status);
}

http::Response show_unit_edit(IdentityService& service, const web::View& view,
                              http::Request& request) {
    if (!principal_of(request))
        return redirect_to_login(request);
    auto id = request.param_int("id");
    if (!id)
        return http::Response::empty(404);
    return render_unit_edit(service, view, request, *id, nullptr, nullptr, 200);
}

http::Response update_unit(IdentityService& service, const web::View& view,
                           http::Request& request) {
    auto id = request.param_int("id");
    if (!id)
        return http::Response::empty(404);
    const Principal* user = principal_of(request);
    if (!user)
        return login_first("/admin/units/" + std::to_string(*id));
    auto form = http::parse_form(request.header("Content-Type"), request.body);
    if (!form)
        return refuse(request, form.error());
    UnitEdit input{form_text(*form, "name"), form_text(*form, "parent_id"),
                   form_text(*form, "active")};

    std::vector<FieldError> problems;
    auto parent_id = parse_optional_id(input.parent_id);
    if (!parent_id)
        problems.push_back({"parent_id", "The parent unit does not exist."});
    if (input.active != "0" && input.active != "1")
        problems.push_back({"active", "Choose whether the unit is active."});
    if (!problems.empty()) {
        Error error = Error::invalid("Check the fields marked below.", std::move(problems));
        return render_unit_edit(service, view, request, *id, &input, &error, 422);
    }

    OrgUnit unit;
    unit.id = *id;
    unit.organisation_id = user->organisation_id;
    unit.parent_id = *parent_id;
    unit.name = input.name;
    unit.active = input.active == "1";
    auto updated = service.update_unit(actor_of(request), unit);
    if (!updated) {
        if (!shown_on_page(updated.error()))
            return refuse(request, updated.error());
        return render_unit_edit(service, view, request, *id, &input, &updated.error(),
                                form_status(updated.error()));
    }
    return http::Response::redirect("/admin/units?done=updated#unit-" + std::to_string(*id));
}

// --- Audit log ----------------------------------------------------------------------

struct AuditQuery {
    std::string action, actor, target_type, target_id, from, to;
    int page = 1;

    static AuditQuery parse(const http::Request& request) {
        return {text_param(request, "action"),
                text_param(request, "actor"),
                text_param(request, "target_type"),
                text_param(request, "target_id"),
                text_param(request, "from"),
                text_param(request, "to"),
                page_param(request)};
    }

    std::string href(int to_page) const {
        return href_with("/admin/audit",
                         {{"action", action},
                          {"actor", actor},
                          {"target_type", target_type},
                          {"target_id", target_id},
                          {"from", from},
                          {"to", to},
                          {"page", to_page > 1 ? std::to_string(to_page) : std::string()}});
    }
};

Data audit_row(const AuditEntry& entry, const AuditLog& log, const AuditQuery& query,
               const Translate& tr) {
    Data row;
    auto at = from_db_time(entry.at);
    row.set("time", at ? web::format_datetime(*at, tr.request.context.lang) : entry.at);
    row.set("time_iso", at ? web::format_iso8601(*at) : std::string());
    row.set("has_time_iso", at.has_value());
    row.set("has_actor", entry.actor_user_id.has_value());
    if (entry.actor_user_id) {
        auto name = log.actor_names.find(*entry.actor_user_id);
        std::string id = std::to_string(*entry.actor_user_id);
        row.set("actor_label",
                name != log.actor_names.end() ? name->second : fill(tr("User {id}"), {{"id", id}}));
        AuditQuery by_actor = query;
        by_actor.actor = id;
        row.set("actor_href", by_actor.href(1));
    } else {
        row.set("actor_label", tr("System or anonymous"));
        row.set("actor_href", std::string());
    }
    row.set("action", entry.action);
    std::string target = entry.target_type;
    if (!entry.target_id.empty())
        target += " " + entry.target_id;
    row.set("target", target);
    bool user_target = entry.target_type == "user" && parse_digits(entry.target_id).has_value();
    row.set("has_target_href", user_target);
    row.set("target_href", user_target ? "/admin/users/" + entry.target_id : std::string());
    row.set("summary", entry.summary);
    row.set("request_id", entry.request_id);
    return row;
}

http::Response show_audit(AdminService& admin, const web::View& view, http::Request& request) {
    const Principal* user = principal_of(request);
    if (!user)
        return redirect_to_login(request);
    Translate tr{view, request};
    AuditQuery query = AuditQuery::parse(request);

    AuditFilter filter;
    filter.organisation_id = user->organisation_id;
    filter.page = query.page;
    filter.per_page = AUDIT_PER_PAGE;
    if (!query.action.empty())
        filter.action = query.action;
    if (!query.target_type.empty())
        filter.target_type = query.target_type;
    if (!query.target_id.empty())
        filter.target_id = query.target_id;
    if (!query.from.empty())
        filter.from_date = query.from;
    if (!query.to.empty())
        filter.to_date = query.to;
    std::string actor_email;
    if (auto id = parse_digits(query.actor))
        filter.actor_user_id = *id;
    else
        actor_email = query.actor;

    auto log = admin.audit_log_with_names(actor_of(request), filter, actor_email);
    if (!log && log.error().kind != ErrorKind::Invalid)
        return refuse(request, log.error());

    Data data;
    data.set("action", query.action);
    data.set("actor", query.actor);
    data.set("target_type", query.target_type);
    data.set("target_id", query.target_id);
    data.set("from", query.from);
    data.set("to", query.to);
    data.set("filtered", !query.action.empty() || !query.actor.empty() ||
                             !query.target_type.empty() || !query.target_id.empty() ||
                             !query.from.empty() || !query.to.empty());
    Data actions = make_list();
    for (auto action : KNOWN_AUDIT_ACTIONS)
        actions.push_back(option(std::string(action), std::string(action), false));
    data.set("known_actions", actions);
    Data target_types = make_list();
    for (auto type : KNOWN_AUDIT_TARGET_TYPES)
        target_types.push_back(option(std::string(type), std::string(type), false));
    data.set("known_target_types", target_types);

    if (!log) {
        add_error(data, tr, log.error(),
                  {{"action", "action"},
                   {"actor", "actor"},
                   {"target_type", "target_type"},
                   {"target_id", "target_id"},
                   {"from_date", "from"},
                   {"to_date", "to"}});
        data.set("has_entries", false);
        data.set("show_results", false);
        // A GET with a bad filter: 400 (form_status's 422 is for posted forms).
        return view.page(request, "identity/admin_audit", "Audit log", std::move(data),
                         http::status_for(log.error().kind));
    }

    Data rows = make_list();
    for (const auto& entry : log->page.entries)
        rows.push_back(audit_row(entry, *log, query, tr));
    data.set("entries", rows);
    data.set("has_entries", !log->page.entries.empty());
    data.set("show_results", true);
    data.set("beyond_last_page", log->page.entries.empty() && log->page.total > 0);
    data.set("first_href", query.href(1));
    data.set("count_text",
             fill(tr("Entries found: {count}"), {{"count", std::to_string(log->page.total)}}));
    add_pagination(data, tr, query.page, log->page.total, AUDIT_PER_PAGE,
                   [&](int to) { return query.href(to); });
    return view.page(request, "identity/admin_audit", "Audit log", std::move(data));
}

} // namespace

void register_admin_routes(http::Router& router, AdminRoutesDeps deps) {
    auto service = deps.service;
    auto admin = deps.admin;
    auto view = deps.view;
    auto funds = deps.funds;

    router.get("/admin/users", [service, view](http::Request& request) {
        return show_users(*service, *view, request);
    });
    router.get("/admin/users/new",
               [view](http::Request& request) { return show_new_user(*view, request); });
    router.post("/admin/users", [service, view](http::Request& request) {
        return create_user(*service, *view, request);
    });
    router.get("/admin/users/{id:int}", [service, view, funds](http::Request& request) {
        return show_user(*service, *view, funds, request);
    });
    router.post("/admin/users/{id:int}/active", [service, view, funds](http::Request& request) {
        return set_active(*service, *view, funds, request);
    });
    router.post("/admin/users/{id:int}/grants", [service, view, funds](http::Request& request) {
        return add_grant(*service, *view, funds, request);
    });
    router.post("/admin/users/{id:int}/grants/{grant:int}/revoke",
                [service, view, funds](http::Request& request) {
                    return revoke_grant(*service, *view, funds, request);
                });

    router.get("/admin/units", [service, view](http::Request& request) {
        return show_units(*service, *view, request);
    });
    router.post("/admin/units", [service, view](http::Request& request) {
        return create_unit(*service, *view, request);
    });
    router.get("/admin/units/{id:int}", [service, view](http::Request& request) {
        return show_unit_edit(*service, *view, request);
    });
    router.post("/admin/units/{id:int}", [service, view](http::Request& request) {
        return update_unit(*service, *view, request);
    });

    router.get("/admin/audit", [admin, view](http::Request& request) {
        return show_audit(*admin, *view, request);
    });
}

} // namespace spire::identity
