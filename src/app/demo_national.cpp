#include "app/demo_national.hpp"

#include "app/demo_national_store.hpp"
#include "applications/search_text.hpp"
#include "core/crypto.hpp"
#include "core/money.hpp"
#include "core/time.hpp"
#include "db/database.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sodium.h>
#include <string_view>
#include <thread>

namespace spire::app {

namespace {

using national::BulkWriter;
using national::TableSpec;
using national::Value;

#include "app/demo_national_data.inc"

// --- Deterministic choices ---------------------------------------------------
// std::mt19937_64's output is fixed by the standard; the distributions on
// top of it are ours, so a seed gives the same data with any library.

class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_engine(seed) {}

    std::uint64_t next() { return m_engine(); }
    // A whole number in [low, high].
    long long between(long long low, long long high) {
        const auto span = static_cast<std::uint64_t>(high - low) + 1;
        return low + static_cast<long long>(next() % span);
    }
    // In [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double probability) { return unit() < probability; }
    // Standard normal (Box–Muller), from two draws.
    double normal() {
        const double radius = std::sqrt(-2.0 * std::log(1.0 - unit()));
        return radius * std::cos(2.0 * 3.14159265358979323846 * unit());
    }
    template <class T>
    const T& pick(const std::vector<T>& items) {
        return items[static_cast<std::size_t>(
            between(0, static_cast<long long>(items.size()) - 1))];
    }

private:
    std::mt19937_64 m_engine;
};

// --- Small helpers -------------------------------------------------------------

// "Våler (Viken)" -> "valer-viken"; "Nore og Uvdal" -> "nore-og-uvdal".
std::string slug_of(std::string_view name) {
    static const std::vector<std::pair<std::string_view, std::string_view>> letters = {
        {"æ", "ae"}, {"ø", "o"}, {"å", "a"}, {"Æ", "ae"}, {"Ø", "o"}, {"Å", "a"}, {"–", "-"}};
    std::string slug;
    for (std::size_t i = 0; i < name.size();) {
        bool replaced = false;
        for (const auto& [from, to] : letters) {
            if (name.substr(i, from.size()) == from) {
                slug += to;
                i += from.size();
                replaced = true;
                break;
            }
        }
        if (replaced)
            continue;
        char c = name[i++];
        if (c >= 'A' && c <= 'Z')
            slug += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            slug += c;
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
    }
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    return slug;
}

// "Våler (Viken)" -> "Våler kommune (Viken)".
std::string organisation_name(std::string_view name) {
    auto paren = name.find(" (");
    if (paren == std::string_view::npos)
        return std::string(name) + " kommune";
    return std::string(name.substr(0, paren)) + " kommune" + std::string(name.substr(paren));
}

std::string municipality_of(std::string_view name) {
    return std::string(name.substr(0, name.find(" (")));
}

std::string replace_braces(std::string_view pattern, std::string_view with) {
    std::string text(pattern);
    if (auto at = text.find("{}"); at != std::string::npos)
        text.replace(at, 2, with);
    return text;
}

std::string lower_first(std::string_view text) {
    std::string lowered(text);
    if (!lowered.empty() && lowered[0] >= 'A' && lowered[0] <= 'Z')
        lowered[0] = static_cast<char>(lowered[0] - 'A' + 'a');
    return lowered;
}

std::string upper_first(std::string_view text) {
    std::string raised(text);
    if (!raised.empty() && raised[0] >= 'a' && raised[0] <= 'z')
        raised[0] = static_cast<char>(raised[0] - 'a' + 'A');
    return raised;
}

// Seconds since 1970 of a UTC date and time.
long long epoch_seconds(int year, unsigned month, unsigned day, int hour = 0, int minute = 0) {
    using namespace std::chrono;
    const sys_days date =
        year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
    return date.time_since_epoch().count() * 86'400LL + hour * 3600LL + minute * 60LL;
}

std::string db_time(long long seconds) {
    return to_db_time(TimePoint(std::chrono::seconds(seconds)));
}

int year_of(long long seconds) {
    using namespace std::chrono;
    const sys_days days{std::chrono::days{seconds / 86'400}};
    return static_cast<int>(year_month_day{days}.year());
}

// A working-hours moment on the day of `seconds`.
long long office_hours(Rng& rng, long long seconds) {
    const long long day = seconds - seconds % 86'400;
    return day + rng.between(7 * 3600, 15 * 3600) + rng.between(0, 59) * 60 + rng.between(0, 59);
}

// Organisation numbers (Brønnøysundregistrene): 8 digits and a MOD11 check
// digit with weights 3 2 7 6 5 4 3 2; a remainder giving 10 has no valid
// check digit, so such numbers are skipped.
std::string organisation_number(Rng& rng) {
    static constexpr std::array<int, 8> WEIGHTS = {3, 2, 7, 6, 5, 4, 3, 2};
    for (;;) {
        std::string digits = std::to_string(rng.between(8, 9));
        for (int i = 1; i < 8; ++i)
            digits += static_cast<char>('0' + rng.between(0, 9));
        int sum = 0;
        for (int i = 0; i < 8; ++i)
            sum += (digits[i] - '0') * WEIGHTS[i];
        int check = 11 - sum % 11;
        if (check == 10)
            continue;
        digits += static_cast<char>('0' + (check == 11 ? 0 : check));
        return digits;
    }
}

std::string base64(std::string_view bytes) {
    std::string text(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(),
                      reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    text.resize(text.size() - 1); // the terminating NUL
    return text;
}

constexpr Ore kr(long long kroner) {
    return kroner * ORE_PER_KRONE;
}

// Reviews per submitted application (the calls' review settings).
constexpr int REVIEWS_PER_APPLICATION = 3;
// Mixed into the seed for the reviews' own random stream ("Reviews!").
constexpr std::uint64_t REVIEW_SEED_SALT = 0x5265766965777321;

const std::vector<std::string_view> CONFLICT_CATEGORIES = {"party", "relative", "leader_of_party",
                                                           "special_circumstances"};
const std::vector<std::string_view> CONFLICT_NOTES = {
    "Søkeren er min nære kollega.", "Min ektefelle leder tjenestestedet.",
    "Jeg sitter i styret hos samarbeidspartneren.", "Jeg har gitt råd om søknaden."};
const std::vector<std::string_view> REVIEW_COMMENTS = {
    "Godt begrunnet behov, men gevinstene bør måles tydeligere.",
    "Realistisk plan og god forankring hos ledelsen.",
    "Lite nytt i tiltaket; ligner det som er prøvd før.",
    "Spennende idé, men budsjettet virker stramt.",
    "Mangler en plan for spredning til andre enheter."};

// --- The tables, parents first -------------------------------------------------

enum Table : std::size_t {
    ORGANISATION,
    ORG_UNIT,
    APP_USER,
    FUND,
    PROGRAMME,
    ROLE_GRANT,
    LEDGER_ENTRY,
    EXTERNAL_CALL,
    PARTNERSHIP_MODEL,
    FUND_CALL,
    CALL_CRITERION,
    FORM_SECTION,
    FORM_FIELD,
    FORM_FIELD_OPTION,
    APPLICATION,
    APPLICATION_THEME,
    APPLICATION_BUDGET_LINE,
    APPLICATION_FINANCING_LINE,
    APPLICATION_PARTNER,
    ATTACHMENT,
    ATTACHMENT_CONTENT,
    APPLICATION_ANSWER,
    APPLICATION_REVISION,
    APPLICATION_STATUS_CHANGE,
    APPLICATION_SEARCH,
    CALL_REVIEW_SETTINGS,
    CALL_REVIEWER,
    REVIEW_ASSIGNMENT,
    CONFLICT_DECLARATION,
    REVIEW_SCORE,
    TABLE_COUNT
};

std::vector<TableSpec> table_specs(db::Engine engine) {
    std::vector<TableSpec> tables(TABLE_COUNT);
    tables[ORGANISATION] = {"organisation", {"id", "slug", "name", "created_at"}};
    tables[ORG_UNIT] = {"org_unit",
                        {"id", "organisation_id", "parent_id", "kind", "name", "created_at"}};
    tables[APP_USER] = {
        "app_user",
        {"id", "organisation_id", "email", "name", "phone", "password_hash", "created_at"}};
    tables[FUND] = {"fund",
                    {"id", "organisation_id", "name", "description", "first_year", "last_year",
                     "carry_over_allowed", "created_at"}};
    tables[PROGRAMME] = {
        "programme", {"id", "fund_id", "name", "description", "kind", "sort_order", "created_at"}};
    tables[ROLE_GRANT] = {
        "role_grant",
        {"id", "user_id", "organisation_id", "role", "unit_id", "fund_id", "granted_at"}};
    tables[LEDGER_ENTRY] = {"ledger_entry",
                            {"id", "fund_id", "organisation_id", "year", "programme_id", "kind",
                             "amount_ore", "reason", "created_at"}};
    tables[EXTERNAL_CALL] = {"external_call",
                             {"id", "organisation_id", "funder", "programme", "title", "deadline",
                              "required_own_share_percent", "url", "created_at"}};
    tables[PARTNERSHIP_MODEL] = {
        "partnership_model",
        {"id", "organisation_id", "name", "description", "sort_order", "created_at"}};
    tables[FUND_CALL] = {"fund_call",
                         {"id", "organisation_id", "fund_id", "programme_id", "title",
                          "description", "eligibility", "opens_at", "closes_at", "rolling",
                          "max_amount_ore", "max_duration_years", "endorsement_required", "status",
                          "created_at", "updated_at"}};
    tables[CALL_CRITERION] = {
        "call_criterion",
        {"id", "call_id", "name", "guidance", "weight_percent", "minimum_score", "sort_order"}};
    tables[FORM_SECTION] = {"form_section", {"id", "call_id", "title", "help_text", "sort_order"}};
    tables[FORM_FIELD] = {"form_field",
                          {"id", "call_id", "section_id", "label", "kind", "required", "help_text",
                           "max_length", "sort_order"}};
    tables[FORM_FIELD_OPTION] = {"form_field_option", {"id", "field_id", "label", "sort_order"}};
    tables[APPLICATION] = {"application",
                           {"id",
                            "organisation_id",
                            "call_id",
                            "fund_id",
                            "programme_id",
                            "unit_id",
                            "created_by",
                            "reference_year",
                            "reference_number",
                            "title",
                            "summary",
                            "status",
                            "start_year",
                            "duration_years",
                            "budget_total_ore",
                            "requested_ore",
                            "external_call_id",
                            "project_total_ore",
                            "external_applied_ore",
                            "own_contribution_ore",
                            "partnership_model_id",
                            "endorsed_by",
                            "endorsed_at",
                            "submitted_at",
                            "revision_count",
                            "created_at",
                            "updated_at"}};
    tables[APPLICATION_THEME] = {"application_theme",
                                 {"application_id", "organisation_id", "theme"}};
    tables[APPLICATION_BUDGET_LINE] = {"application_budget_line",
                                       {"application_id", "year", "cost_type", "amount_ore"}};
    tables[APPLICATION_FINANCING_LINE] = {"application_financing_line",
                                          {"id", "application_id", "source", "funder_name",
                                           "cash_ore", "in_kind_hours", "hourly_rate_ore",
                                           "sort_order"}};
    tables[APPLICATION_PARTNER] = {
        "application_partner",
        {"id", "application_id", "name", "organisation_number", "kind", "role", "sort_order"}};
    tables[ATTACHMENT] = {"attachment",
                          {"id", "organisation_id", "application_id", "field_id", "file_name",
                           "media_type", "size_bytes", "sha256", "uploaded_by", "uploaded_at"}};
    tables[ATTACHMENT_CONTENT] = {"attachment_content", {"attachment_id", "content_base64"}};
    tables[APPLICATION_ANSWER] = {
        "application_answer",
        {"application_id", "field_id", "text_value", "number_value", "option_id", "attachment_id"}};
    tables[APPLICATION_REVISION] = {
        "application_revision",
        {"id", "application_id", "number", "submitted_by", "submitted_at", "document"}};
    tables[APPLICATION_STATUS_CHANGE] = {
        "application_status_change",
        {"id", "application_id", "from_status", "to_status", "user_id", "comment", "at"}};
    // SQLite's FTS5 table has the application's id as its rowid.
    // With the organisation (its token on SQLite; store.cpp write_search).
    tables[APPLICATION_SEARCH] = {
        "application_search",
        engine == db::Engine::Sqlite
            ? std::vector<std::string>{"rowid", "organisation", "body"}
            : std::vector<std::string>{"application_id", "organisation_id", "body"}};
    tables[CALL_REVIEW_SETTINGS] = {"call_review_settings",
                                    {"call_id", "organisation_id", "reviews_per_application",
                                     "review_closes_at", "share_reviews_after_close",
                                     "ranking_seed", "updated_at"}};
    tables[CALL_REVIEWER] = {
        "call_reviewer",
        {"call_id", "user_id", "organisation_id", "active", "added_by", "added_at"}};
    tables[REVIEW_ASSIGNMENT] = {"review_assignment",
                                 {"id", "organisation_id", "call_id", "application_id",
                                  "reviewer_id", "status", "recommendation", "overall_comment",
                                  "assigned_by", "assigned_at", "submitted_at", "updated_at"}};
    tables[CONFLICT_DECLARATION] = {"conflict_declaration",
                                    {"id", "organisation_id", "application_id", "reviewer_id",
                                     "conflict", "category", "note", "declared_by", "declared_at"}};
    tables[REVIEW_SCORE] = {"review_score", {"assignment_id", "criterion_id", "score", "comment"}};
    return tables;
}

// Tables whose ids are given here: their next id, and (PostgreSQL) their
// identity sequence moved past them at the end.
const std::vector<std::string_view> ID_TABLES = {"organisation",
                                                 "org_unit",
                                                 "app_user",
                                                 "fund",
                                                 "programme",
                                                 "role_grant",
                                                 "ledger_entry",
                                                 "external_call",
                                                 "partnership_model",
                                                 "fund_call",
                                                 "call_criterion",
                                                 "form_section",
                                                 "form_field",
                                                 "form_field_option",
                                                 "application",
                                                 "application_financing_line",
                                                 "application_partner",
                                                 "attachment",
                                                 "application_revision",
                                                 "application_status_change",
                                                 "review_assignment",
                                                 "conflict_declaration"};

// --- What one organisation has -------------------------------------------------

struct ServiceUnit {
    long long id;
    std::string name;
    long long applicant;   // user id
    long long unit_leader; // user id
};

struct CallInfo {
    long long id;
    long long fund_id, programme_id;
    std::string_view programme_kind;
    std::string title;
    long long opens, closes; // epoch seconds
    bool rolling;
    bool endorsement;
    Ore max_amount;
    int max_duration;
    long long field_leader, field_description, field_target, field_users, field_plan;
    std::vector<long long> target_options; // option ids of field_target
    std::vector<long long> criteria;       // ids, in order
};

struct Organisation {
    long long id;
    std::string slug, name, municipality;
    double size; // 1 for the largest, towards 0 for the smallest
    std::vector<ServiceUnit> units;
    std::vector<CallInfo> calls;
    std::vector<std::pair<long long, int>> external_calls; // id, required own share %
    std::vector<long long> partnership_models;
    long long fund_manager = 0;
    // The review panel: every call's reviewer pool, and how lenient each
    // reviewer is (added to every score they give).
    std::vector<long long> reviewers;
    std::vector<double> leniency;
};

class Generator {
public:
    Generator(BulkWriter& writer, db::Engine engine, const NationalOptions& options)
        : m_writer(writer), m_engine(engine), m_options(options), m_rng(options.seed),
          m_review_rng(options.seed ^ REVIEW_SEED_SALT), m_pdf_base64(base64(TINY_PDF)),
          m_pdf_sha256(sha256_hex(TINY_PDF)) {
        for (std::size_t i = 0; i < ID_TABLES.size(); ++i) {
            m_next_id[ID_TABLES[i]] =
                writer.query_integer("SELECT MAX(id) FROM " + std::string(ID_TABLES[i])) + 1;
        }
        for (std::size_t i = 0; i < PARTNER_NAMES.size(); ++i)
            m_partner_numbers.push_back(organisation_number(m_rng));
    }

    NationalSummary run();

private:
    long long next_id(std::string_view table) { return m_next_id[table]++; }

    std::vector<long long> applications_per_organisation(int count);
    void organisation(Organisation& org);
    void unit_tree(Organisation& org);
    long long user(Rng& rng, const Organisation& org, const std::string& local_part,
                   std::string_view role, std::optional<long long> unit_id,
                   std::optional<long long> fund_id);
    void fund(Organisation& org, long long fund_manager);
    void catalogues(Organisation& org);
    void call(Organisation& org, long long fund_id, long long programme_id,
              std::string_view programme_kind, int index, int base_year);
    void applications(Organisation& org, long long count);
    void review_panel(Organisation& org, long long applications);
    void reviews(const Organisation& org, const CallInfo& call, long long application,
                 long long submitted_at);
    void application(Organisation& org, const CallInfo& call, const ServiceUnit& unit,
                     long long created, int reference_year, int reference_number);

    std::string person_name(Rng& rng) {
        return std::string(rng.pick(FIRST_NAMES)) + " " + std::string(rng.pick(LAST_NAMES));
    }
    std::string sentence_about(std::string_view arena);

    BulkWriter& m_writer;
    db::Engine m_engine;
    const NationalOptions& m_options;
    Rng m_rng;
    // Reviews draw from their own stream, so that adding them left every
    // other generated row as it was for the same seed.
    Rng m_review_rng;
    std::map<std::string_view, long long> m_next_id;
    std::vector<std::string> m_partner_numbers; // by PARTNER_NAMES position
    const std::string m_pdf_base64;
    const std::string m_pdf_sha256;
    std::string m_created_at = db_time(epoch_seconds(2016, 11, 1, 8));
    NationalSummary m_summary;
    long long m_most_applications = -1;
};

// Zipf-like: organisation i (0 = largest) gets a share 1/(i+1)^0.9 of the
// applications, rounded so the shares add up exactly.
std::vector<long long> Generator::applications_per_organisation(int count) {
    std::vector<double> weights(static_cast<std::size_t>(count));
    double total = 0;
    for (int i = 0; i < count; ++i) {
        weights[static_cast<std::size_t>(i)] = 1.0 / std::pow(i + 1.0, 0.9);
        total += weights[static_cast<std::size_t>(i)];
    }
    std::vector<long long> counts(weights.size());
    long long given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        counts[i] = static_cast<long long>(
            std::floor(static_cast<double>(m_options.applications) * weights[i] / total));
        given += counts[i];
    }
    for (std::size_t i = 0; given < m_options.applications; i = (i + 1) % counts.size()) {
        ++counts[i];
        ++given;
    }
    return counts;
}

NationalSummary Generator::run() {
    const auto& names = municipality_names();
    const int count = std::clamp(m_options.organisations, 1, static_cast<int>(names.size()));
    const auto per_organisation = applications_per_organisation(count);
    for (int i = 0; i < count; ++i) {
        Organisation org;
        org.municipality = municipality_of(names[static_cast<std::size_t>(i)]);
        org.name = organisation_name(names[static_cast<std::size_t>(i)]);
        org.slug = slug_of(names[static_cast<std::size_t>(i)]);
        org.size = std::pow(1.0 - static_cast<double>(i) / static_cast<double>(names.size()), 3);
        organisation(org);
        applications(org, per_organisation[static_cast<std::size_t>(i)]);
        if (per_organisation[static_cast<std::size_t>(i)] > m_most_applications) {
            m_most_applications = per_organisation[static_cast<std::size_t>(i)];
            m_summary.largest_slug = org.slug;
        }
        ++m_summary.organisations;
    }
    m_writer.flush();
    m_summary.rows = m_writer.rows();
    return m_summary;
}

void Generator::organisation(Organisation& org) {
    org.id = next_id("organisation");
    m_writer.row(ORGANISATION, {org.id, org.slug, org.name, m_created_at});
    unit_tree(org);
    const long long fund_manager =
        user(m_rng, org, "fund-manager", "fund_manager", std::nullopt, std::nullopt);
    org.fund_manager = fund_manager;
    user(m_rng, org, "admin", "admin", std::nullopt, std::nullopt);
    user(m_rng, org, "auditor", "auditor", std::nullopt, std::nullopt);
    user(m_rng, org, "decision-maker", "decision_maker", std::nullopt, std::nullopt);
    catalogues(org);
    fund(org, fund_manager);
}

// A few sectors, each with units, and 10–40 service units by size; every
// service unit has an applicant and a unit leader.
void Generator::unit_tree(Organisation& org) {
    const int target = 10 + static_cast<int>(std::lround(30 * org.size));
    std::set<std::string> used;
    auto unit = [&](std::optional<long long> parent, std::string_view kind,
                    const std::string& name) {
        long long id = next_id("org_unit");
        m_writer.row(ORG_UNIT, {id, org.id, parent ? Value(*parent) : Value::null(), kind, name,
                                m_created_at});
        ++m_summary.units;
        return id;
    };
    auto place = [&](std::string_view pattern) {
        for (int attempt = 0;; ++attempt) {
            std::string name = replace_braces(pattern, std::string(m_rng.pick(PLACE_PREFIXES)) +
                                                           std::string(m_rng.pick(PLACE_SUFFIXES)));
            if (attempt > 20)
                name += " " + std::to_string(attempt);
            if (used.insert(name).second)
                return name;
        }
    };

    // Fixed service units first (a share of them in small municipalities),
    // then place-named ones round the growing units until the target.
    struct Growing {
        long long unit_id;
        std::string_view pattern;
    };
    std::vector<Growing> growing;
    std::vector<std::pair<long long, std::string>> service_units; // parent, name
    const auto& sectors = sector_patterns();
    for (const auto& sector : sectors) {
        long long sector_id = unit(std::nullopt, "sector", std::string(sector.name));
        for (const auto& pattern : sector.growing)
            growing.push_back(
                {unit(sector_id, "unit", std::string(pattern.unit)), pattern.pattern});
        long long fixed_id = unit(sector_id, "unit", std::string(sector.fixed_unit.front()));
        const std::size_t fixed_count = std::max<std::size_t>(
            1, static_cast<std::size_t>(
                   std::lround(static_cast<double>(sector.fixed.size()) * (0.4 + 0.6 * org.size))));
        for (std::size_t i = 0; i < std::min(fixed_count, sector.fixed.size()); ++i) {
            std::string name = replace_braces(sector.fixed[i], org.municipality);
            if (used.insert(name).second)
                service_units.emplace_back(fixed_id, name);
        }
    }
    for (std::size_t i = 0; static_cast<int>(service_units.size()) < target; ++i) {
        const Growing& next = growing[i % growing.size()];
        service_units.emplace_back(next.unit_id, place(next.pattern));
    }
    int number = 0;
    for (auto& [parent, name] : service_units) {
        ServiceUnit made;
        made.id = unit(parent, "service_unit", name);
        made.name = name;
        ++number;
        made.applicant = user(m_rng, org, "applicant-" + std::to_string(number), "applicant",
                              made.id, std::nullopt);
        made.unit_leader = user(m_rng, org, "unit-leader-" + std::to_string(number), "unit_leader",
                                made.id, std::nullopt);
        org.units.push_back(std::move(made));
    }
}

long long Generator::user(Rng& rng, const Organisation& org, const std::string& local_part,
                          std::string_view role, std::optional<long long> unit_id,
                          std::optional<long long> fund_id) {
    long long id = next_id("app_user");
    const std::string email = local_part + "@" + org.slug + ".example";
    const std::string phone = "+47 " + std::to_string(rng.between(400, 999)) + " " +
                              std::to_string(rng.between(10, 99)) + " " +
                              std::to_string(rng.between(100, 999));
    m_writer.row(APP_USER, {id, org.id, email, person_name(rng), phone, m_options.password_hash,
                            m_created_at});
    if (role != "fund_manager") { // granted with the fund (Generator::fund)
        m_writer.row(ROLE_GRANT, {next_id("role_grant"), id, org.id, role,
                                  unit_id ? Value(*unit_id) : Value::null(),
                                  fund_id ? Value(*fund_id) : Value::null(), m_created_at});
    }
    ++m_summary.users;
    return id;
}

void Generator::catalogues(Organisation& org) {
    for (const auto& spec : EXTERNAL_CALLS) {
        long long id = next_id("external_call");
        const std::string deadline = std::to_string(spec.year) + "-0" +
                                     std::to_string(m_rng.between(3, 9)) + "-" +
                                     std::to_string(m_rng.between(10, 28));
        m_writer.row(EXTERNAL_CALL,
                     {id, org.id, spec.funder, spec.programme, spec.title, deadline,
                      spec.own_share_percent, "https://www.forskningsradet.no/", m_created_at});
        org.external_calls.emplace_back(id, spec.own_share_percent);
    }
    int order = 0;
    for (const auto& [name, description] : PARTNERSHIP_MODELS) {
        long long id = next_id("partnership_model");
        m_writer.row(PARTNERSHIP_MODEL, {id, org.id, name, description, order++, m_created_at});
        org.partnership_models.push_back(id);
    }
}

struct ProgrammeSpec {
    std::string_view name, kind, description;
    double share; // of the yearly frame
};
const std::vector<ProgrammeSpec> PROGRAMMES = {
    {"Intern risikokapital", "risk_capital",
     "Stimuleringsmidler tjenestestedene søker på to ganger i året.", 0.3},
    {"Forskningsmedfinansiering", "research_cofunding",
     "Kommunens egeninnsats i eksterne forskningsutlysninger.", 0.4},
    {"Sosiale entreprenører", "social_entrepreneurs",
     "Samarbeid med sosiale entreprenører om nye samarbeidsmodeller; fortløpende behandling.", 0.2},
    {"FoU-kontrakter", "rd_contracts", "FoU-kontrakter og innovative anskaffelser.", 0.1},
};

// One fund 2017–2020 with the four programmes, yearly frames in the ledger,
// and 2–6 calls.
void Generator::fund(Organisation& org, long long fund_manager) {
    const long long fund_id = next_id("fund");
    m_writer.row(FUND, {fund_id, org.id, "Forsknings- og innovasjonsfond",
                        "Kommunens fond for forskning og innovasjon i tjenestene.", 2017, 2020, 1,
                        m_created_at});
    m_writer.row(ROLE_GRANT, {next_id("role_grant"), fund_manager, org.id, "fund_manager",
                              Value::null(), fund_id, m_created_at});
    // 1–10 MNOK a year by size, in whole 100 000 kr.
    const Ore yearly = kr(100'000) * std::max<long long>(10, std::lround(100 * org.size));
    std::vector<long long> programme_ids;
    int order = 0;
    for (const auto& spec : PROGRAMMES) {
        long long id = next_id("programme");
        m_writer.row(PROGRAMME,
                     {id, fund_id, spec.name, spec.description, spec.kind, order++, m_created_at});
        programme_ids.push_back(id);
        for (int year = 2017; year <= 2020; ++year) {
            const Ore frame =
                static_cast<Ore>(std::llround(static_cast<double>(yearly) * spec.share));
            m_writer.row(LEDGER_ENTRY,
                         {next_id("ledger_entry"), fund_id, org.id, year, id, "frame", frame,
                          "Årlig ramme " + std::to_string(year) + ", vedtatt i kommunens budsjett",
                          db_time(epoch_seconds(year - 1, 12, 15, 9))});
        }
    }
    // Calls: alternating risk capital rounds and research co-funding, one
    // rolling social entrepreneurs' call.
    const int calls = 2 + static_cast<int>(std::lround(4 * org.size));
    const int base_year = static_cast<int>(m_rng.between(2017, 2018));
    static constexpr std::array<std::size_t, 6> ORDER = {0, 1, 2, 0, 0, 1};
    for (int i = 0; i < calls; ++i) {
        const std::size_t programme = ORDER[static_cast<std::size_t>(i)];
        call(org, fund_id, programme_ids[programme], PROGRAMMES[programme].kind, i, base_year);
    }
}

void Generator::call(Organisation& org, long long fund_id, long long programme_id,
                     std::string_view programme_kind, int index, int base_year) {
    CallInfo info;
    info.id = next_id("fund_call");
    info.fund_id = fund_id;
    info.programme_id = programme_id;
    info.programme_kind = programme_kind;
    info.rolling = programme_kind == "social_entrepreneurs";
    info.endorsement = programme_kind != "social_entrepreneurs";
    int year = base_year + index / 3;
    if (programme_kind == "risk_capital") {
        const bool autumn = index == 3;
        year = base_year + (index == 4 ? 1 : 0);
        info.title = std::string("Intern risikokapital ") + (autumn ? "høsten " : "våren ") +
                     std::to_string(year);
        info.opens = epoch_seconds(year, autumn ? 8 : 1, 15, 7);
        info.closes = epoch_seconds(year, autumn ? 10 : 3, 15, 11);
        info.max_amount = kr(500'000);
        info.max_duration = 2;
    } else if (programme_kind == "research_cofunding") {
        year = base_year + (index == 5 ? 1 : 0);
        info.title = "Forskningsmedfinansiering " + std::to_string(year);
        info.opens = epoch_seconds(year, 1, 10, 7);
        info.closes = epoch_seconds(year, 10, 1, 11);
        info.max_amount = kr(1'500'000);
        info.max_duration = 3;
    } else {
        info.title = "Sosiale entreprenører – fortløpende";
        info.opens = epoch_seconds(2017, 2, 1, 7);
        info.closes = epoch_seconds(2020, 11, 30, 11); // for generating only
        info.max_amount = kr(800'000);
        info.max_duration = 2;
    }
    const std::string opens = db_time(info.opens);
    m_writer.row(FUND_CALL,
                 {info.id, org.id, fund_id, programme_id, info.title,
                  "Utlysningen er åpen for alle tjenestesteder i " + org.name +
                      ".\n\nSøknaden skal beskrive **behovet**, **tiltaket** og **gevinstene**.",
                  "Tjenestesteder i kommunen. Tiltaket må være forankret hos leder.", opens,
                  info.rolling ? Value::null() : Value(db_time(info.closes)), info.rolling ? 1 : 0,
                  info.max_amount, info.max_duration, info.endorsement ? 1 : 0,
                  info.rolling ? "published" : "closed", db_time(info.opens - 14 * 86'400), opens});
    ++m_summary.calls;

    // 4–6 of Bærum's criteria, weights in steps of 5 summing to 100.
    std::vector<std::size_t> chosen(CRITERIA.size());
    for (std::size_t i = 0; i < chosen.size(); ++i)
        chosen[i] = i;
    const auto criteria = static_cast<std::size_t>(m_rng.between(4, 6));
    for (std::size_t i = 0; i < criteria; ++i)
        std::swap(chosen[i], chosen[i + static_cast<std::size_t>(m_rng.between(
                                            0, static_cast<long long>(chosen.size() - i) - 1))]);
    chosen.resize(criteria);
    std::sort(chosen.begin(), chosen.end());
    std::vector<int> weights(criteria, 10);
    for (int left = 100 - 10 * static_cast<int>(criteria); left > 0; left -= 5)
        weights[static_cast<std::size_t>(m_rng.between(0, static_cast<long long>(criteria) - 1))] +=
            5;
    for (std::size_t i = 0; i < criteria; ++i) {
        info.criteria.push_back(m_next_id["call_criterion"]);
        m_writer.row(CALL_CRITERION,
                     {next_id("call_criterion"), info.id, CRITERIA[chosen[i]].name,
                      CRITERIA[chosen[i]].guidance, weights[i],
                      m_rng.chance(0.3) ? Value(3) : Value::null(), static_cast<int>(i)});
    }

    // The form: two sections; a short text, a long text, a single choice,
    // a number and a file.
    const long long about = next_id("form_section");
    m_writer.row(FORM_SECTION, {about, info.id, "Om prosjektet",
                                "Beskriv behovet og tiltaket kort og konkret.", 0});
    const long long benefits = next_id("form_section");
    m_writer.row(FORM_SECTION, {benefits, info.id, "Gevinster og gjennomføring", "", 1});
    auto field = [&](long long section, std::string_view label, std::string_view kind,
                     bool required, std::string_view help, std::optional<int> max_length,
                     int order) {
        long long id = next_id("form_field");
        m_writer.row(FORM_FIELD, {id, info.id, section, label, kind, required ? 1 : 0, help,
                                  max_length ? Value(*max_length) : Value::null(), order});
        return id;
    };
    info.field_leader = field(about, "Prosjektleder", "short_text", true,
                              "Navn på den som leder prosjektet.", 200, 0);
    info.field_description = field(about, "Beskrivelse av prosjektet", "long_text", true,
                                   "Behov, tiltak, gjennomføring og forankring.", 6000, 1);
    info.field_target = field(about, "Hovedmålgruppe", "single_choice", true, "", std::nullopt, 2);
    int order = 0;
    for (auto group : TARGET_GROUPS) {
        long long id = next_id("form_field_option");
        m_writer.row(FORM_FIELD_OPTION, {id, info.field_target, group, order++});
        info.target_options.push_back(id);
    }
    info.field_users = field(benefits, "Antall brukere som berøres", "number", false,
                             "Et anslag er godt nok.", std::nullopt, 0);
    info.field_plan = field(benefits, "Prosjektplan", "file", false,
                            "PDF, Word eller regneark, høyst 20 MB.", std::nullopt, 1);
    org.calls.push_back(std::move(info));
}

// --- Applications ----------------------------------------------------------------

void Generator::applications(Organisation& org, long long count) {
    review_panel(org, count);
    // When each application was created: a moment inside its call's window,
    // sorted so reference numbers follow creation time.
    struct Plan {
        long long created;
        std::size_t call;
        std::size_t unit;
    };
    std::vector<Plan> plans;
    plans.reserve(static_cast<std::size_t>(count));
    for (long long i = 0; i < count; ++i) {
        Plan plan;
        plan.call = static_cast<std::size_t>(
            m_rng.between(0, static_cast<long long>(org.calls.size()) - 1));
        const CallInfo& call = org.calls[plan.call];
        plan.created = office_hours(m_rng, m_rng.between(call.opens, call.closes - 7 * 86'400));
        // Larger units apply more: Zipf-like over the unit list.
        const double u = m_rng.unit();
        plan.unit =
            static_cast<std::size_t>(std::pow(u, 1.6) * static_cast<double>(org.units.size()));
        plan.unit = std::min(plan.unit, org.units.size() - 1);
        plans.push_back(plan);
    }
    std::sort(plans.begin(), plans.end(),
              [](const Plan& a, const Plan& b) { return a.created < b.created; });
    std::map<int, int> numbers; // by reference year
    for (const Plan& plan : plans) {
        const int year = year_of(plan.created);
        application(org, org.calls[plan.call], org.units[plan.unit], plan.created, year,
                    ++numbers[year]);
    }
    m_summary.applications += count;
}

std::string Generator::sentence_about(std::string_view arena) {
    switch (m_rng.between(0, 5)) {
    case 0:
        return "Prosjektet skal " + std::string(m_rng.pick(VERBS)) + " " +
               std::string(m_rng.pick(OBJECTS)) + " " + std::string(arena) + ".";
    case 1:
        return "Målet er " + std::string(m_rng.pick(GOALS)) + ".";
    case 2:
        return "Tiltaket bygger på erfaringer fra " + std::string(m_rng.pick(ELSEWHERE)) +
               " og bruker " + std::string(m_rng.pick(METHODS)) + ".";
    case 3:
        return "Vi samarbeider med " + std::string(m_rng.pick(PARTNER_NAMES).name) + " om " +
               std::string(m_rng.pick(ACTIVITIES)) + ".";
    case 4: {
        const std::size_t first = static_cast<std::size_t>(
            m_rng.between(0, static_cast<long long>(INDICATORS.size()) - 1));
        const std::size_t second =
            (first + static_cast<std::size_t>(
                         m_rng.between(1, static_cast<long long>(INDICATORS.size()) - 1))) %
            INDICATORS.size();
        return "Gevinstene måles gjennom " + std::string(INDICATORS[first]) + " og " +
               std::string(INDICATORS[second]) + ".";
    }
    default:
        return "Brukerne og de ansatte involveres gjennom " + std::string(m_rng.pick(METHODS)) +
               " og " + std::string(m_rng.pick(ACTIVITIES)) + ".";
    }
}

void Generator::application(Organisation& org, const CallInfo& call, const ServiceUnit& unit,
                            long long created, int reference_year, int reference_number) {
    const long long id = next_id("application");

    // What it is about.
    const Topic& topic = m_rng.pick(TOPICS);
    const Arena& arena = m_rng.pick(ARENAS);
    std::string title(m_rng.pick(TITLE_FORMS));
    auto put = [&](std::string_view mark, const std::string& with) {
        if (auto at = title.find(mark); at != std::string::npos)
            title.replace(at, mark.size(), with);
    };
    put("{T}", std::string(topic.phrase));
    put("{t}", lower_first(topic.phrase));
    put("{A}", std::string(arena.phrase));
    title = upper_first(title);
    std::string summary = "Prosjektet skal " + std::string(m_rng.pick(VERBS)) + " " +
                          lower_first(topic.phrase) + " " + std::string(arena.phrase) + ".";
    for (long long i = m_rng.between(1, 3); i > 0; --i)
        summary += " " + sentence_about(arena.phrase);
    std::string description = summary;
    for (long long i = m_rng.between(4, 8); i > 0; --i)
        description += (m_rng.chance(0.3) ? "\n\n" : " ") + sentence_about(arena.phrase);
    std::set<std::string_view> themes = {topic.theme, arena.theme};
    if (m_rng.chance(0.3))
        themes.insert(m_rng.pick(TOPICS).theme);

    // Where it got to.
    enum class Fate { Draft, Awaiting, Submitted, Withdrawn };
    const double roll = m_rng.unit();
    Fate fate = roll < 0.80   ? Fate::Submitted
                : roll < 0.89 ? Fate::Draft
                : roll < 0.95 ? Fate::Awaiting
                              : Fate::Withdrawn;
    if (fate == Fate::Awaiting && !call.endorsement)
        fate = Fate::Draft;
    const bool complete = fate != Fate::Draft || m_rng.chance(0.5);

    // Budget: start year × duration × cost types, in whole 1 000 kr.
    const int start_year =
        std::min(2020, std::max(2017, reference_year + (m_rng.chance(0.4) ? 1 : 0)));
    const int duration =
        std::min(static_cast<int>(m_rng.between(1, call.max_duration)), 2020 - start_year + 1);
    struct Line {
        int year;
        std::string_view cost_type;
        Ore amount;
    };
    std::vector<Line> budget;
    Ore total = 0;
    if (complete) {
        const double scale = call.programme_kind == "research_cofunding" ? 3.0 : 1.0;
        for (int year = start_year; year < start_year + duration; ++year) {
            auto add = [&](std::string_view type, long long low, long long high) {
                const Ore amount = kr(1000) * static_cast<long long>(
                                                  std::lround(m_rng.between(low, high) * scale));
                budget.push_back({year, type, amount});
                total += amount;
            };
            add("personnel", 40, 300);
            if (m_rng.chance(0.5) || call.programme_kind == "research_cofunding")
                add("rd_services", 20, 250);
            if (m_rng.chance(0.4))
                add("equipment", 5, 120);
            if (m_rng.chance(0.7))
                add("other", 5, 60);
        }
    }

    // Partners: 0–3; social entrepreneurs' calls at least one of them.
    struct PartnerRow {
        std::size_t name;
        std::string_view role;
    };
    std::vector<PartnerRow> partners;
    const bool social = call.programme_kind == "social_entrepreneurs";
    long long partner_count = m_rng.between(social ? 1 : 0, 3);
    if (call.programme_kind == "research_cofunding")
        partner_count = std::max<long long>(partner_count, 1);
    std::set<std::size_t> chosen_partners;
    for (long long i = 0; i < partner_count; ++i) {
        std::size_t name = static_cast<std::size_t>(
            m_rng.between(0, static_cast<long long>(PARTNER_NAMES.size()) - 1));
        if (i == 0 && social) {
            while (PARTNER_NAMES[name].kind != "social_entrepreneur")
                name = (name + 1) % PARTNER_NAMES.size();
        } else if (i == 0 && call.programme_kind == "research_cofunding") {
            while (PARTNER_NAMES[name].kind != "research_institution")
                name = (name + 1) % PARTNER_NAMES.size();
        }
        if (chosen_partners.insert(name).second)
            partners.push_back({name, m_rng.pick(PARTNER_ROLES)});
    }

    // Financing: this fund, external funders, partners in kind, own unit
    // (in kind and cash) making up the rest, so the total is the budget's.
    struct Financing {
        std::string_view source;
        std::string funder;
        Ore cash;
        int hours;
        Ore rate;
    };
    std::vector<Financing> financing;
    Ore requested = 0;
    std::optional<std::pair<long long, int>> external_call;
    std::size_t external_index = 0;
    Ore external_applied = 0;
    if (complete && total > 0) {
        const double share = 0.4 + 0.5 * m_rng.unit();
        requested = std::min(call.max_amount,
                             kr(1000) * static_cast<long long>(static_cast<double>(total) * share /
                                                               static_cast<double>(kr(1000))));
        requested = std::max(requested, std::min(total, kr(1000)));
        financing.push_back({"fund", "", requested, 0, 0});
        Ore rest = total - requested;
        if (call.programme_kind == "research_cofunding") {
            external_index = static_cast<std::size_t>(
                m_rng.between(0, static_cast<long long>(org.external_calls.size()) - 1));
            external_call = org.external_calls[external_index];
            const Ore ceiling = total / 100 * (100 - external_call->second);
            external_applied =
                std::min(rest, kr(1000) * static_cast<long long>(static_cast<double>(ceiling) *
                                                                 m_rng.unit() /
                                                                 static_cast<double>(kr(1000))));
            if (external_applied > 0) {
                financing.push_back({"external", "Norges forskningsråd", external_applied, 0, 0});
                rest -= external_applied;
            }
        }
        if (!partners.empty() && m_rng.chance(0.5)) {
            const Ore rate = kr(900);
            const int hours =
                static_cast<int>(std::min<long long>(rest / rate, m_rng.between(20, 200)));
            if (hours > 0) {
                financing.push_back({"partner",
                                     std::string(PARTNER_NAMES[partners.front().name].name), 0,
                                     hours, rate});
                rest -= hours * rate;
            }
        }
        if (rest > 0) {
            const Ore rate = kr(650);
            const int hours =
                static_cast<int>(std::min<long long>(rest / rate, m_rng.between(0, 400)));
            financing.push_back({"own_unit", unit.name, rest - hours * rate, hours, rate});
        }
    }

    // History: created, then (maybe) awaiting endorsement, submitted, withdrawn.
    struct Change {
        std::optional<std::string_view> from;
        std::string_view to;
        long long user;
        std::string_view comment;
        long long at;
    };
    std::vector<Change> history = {{std::nullopt, "draft", unit.applicant, "", created}};
    long long at = created;
    auto later = [&](long long low_hours, long long high_hours) {
        at = std::max(at + 60,
                      office_hours(m_rng, at + m_rng.between(low_hours, high_hours) * 3600));
        if (!call.rolling)
            at = std::min(at, call.closes - 3600);
        return at;
    };
    std::optional<long long> endorsed_at, submitted_at;
    std::optional<long long> endorsed_by, submitted_by;
    std::string_view status = "draft";
    const long long edited = later(2, 24 * 10);
    if (fate != Fate::Draft) {
        if (call.endorsement) {
            history.push_back({"draft", "awaiting_endorsement", unit.applicant, "", later(0, 48)});
            status = "awaiting_endorsement";
            if (fate != Fate::Awaiting) {
                endorsed_at = later(2, 24 * 5);
                endorsed_by = unit.unit_leader;
                history.push_back(
                    {"awaiting_endorsement", "submitted", unit.unit_leader, "", *endorsed_at});
                submitted_at = endorsed_at;
                submitted_by = unit.unit_leader;
                status = "submitted";
            }
        } else {
            submitted_at = later(0, 48);
            submitted_by = unit.applicant;
            history.push_back({"draft", "submitted", unit.applicant, "", *submitted_at});
            status = "submitted";
        }
        if (fate == Fate::Withdrawn) {
            at = office_hours(m_rng, at + m_rng.between(24, 24 * 30) * 3600);
            history.push_back({"submitted", "withdrawn", unit.applicant,
                               "Prosjektet er utsatt til neste år.", at});
            status = "withdrawn";
        }
    }
    const long long updated = std::max(edited, history.back().at);

    const std::size_t model_index = static_cast<std::size_t>(
        m_rng.between(0, static_cast<long long>(org.partnership_models.size()) - 1));
    const std::optional<long long> partnership_model =
        social && complete ? std::optional<long long>(org.partnership_models[model_index])
                           : std::nullopt;
    const bool research = call.programme_kind == "research_cofunding" && external_call;
    const int revisions = submitted_at ? 1 : 0;
    const std::string created_text = db_time(created);
    const std::string updated_text = db_time(updated);
    const std::string endorsed_text = endorsed_at ? db_time(*endorsed_at) : "";
    const std::string submitted_text = submitted_at ? db_time(*submitted_at) : "";
    m_writer.row(APPLICATION, {id,
                               org.id,
                               call.id,
                               call.fund_id,
                               call.programme_id,
                               unit.id,
                               unit.applicant,
                               reference_year,
                               reference_number,
                               title,
                               summary,
                               status,
                               start_year,
                               duration,
                               total,
                               requested,
                               research ? Value(external_call->first) : Value::null(),
                               research ? Value(total) : Value::null(),
                               research ? Value(external_applied) : Value::null(),
                               research ? Value(requested) : Value::null(),
                               partnership_model ? Value(*partnership_model) : Value::null(),
                               endorsed_by ? Value(*endorsed_by) : Value::null(),
                               endorsed_at ? Value(endorsed_text) : Value::null(),
                               submitted_at ? Value(submitted_text) : Value::null(),
                               revisions,
                               created_text,
                               updated_text});

    for (auto theme : themes)
        m_writer.row(APPLICATION_THEME, {id, org.id, theme});
    for (const auto& line : budget)
        m_writer.row(APPLICATION_BUDGET_LINE, {id, line.year, line.cost_type, line.amount});
    int order = 0;
    for (const auto& line : financing) {
        m_writer.row(APPLICATION_FINANCING_LINE,
                     {next_id("application_financing_line"), id, line.source, line.funder,
                      line.cash, line.hours, line.rate, order++});
    }
    order = 0;
    for (const auto& partner : partners) {
        m_writer.row(APPLICATION_PARTNER,
                     {next_id("application_partner"), id, PARTNER_NAMES[partner.name].name,
                      m_partner_numbers[partner.name], PARTNER_NAMES[partner.name].kind,
                      partner.role, order++});
    }

    // The project plan (a tiny real PDF), then the answers.
    std::optional<long long> attachment;
    const std::string file_name = "Prosjektplan " + std::to_string(reference_year) + "-" +
                                  std::to_string(reference_number) + ".pdf";
    if (complete || m_rng.chance(0.5)) {
        attachment = next_id("attachment");
        m_writer.row(ATTACHMENT, {*attachment, org.id, id, call.field_plan, file_name,
                                  "application/pdf", static_cast<long long>(TINY_PDF.size()),
                                  m_pdf_sha256, unit.applicant, db_time(created + 600)});
        m_writer.row(ATTACHMENT_CONTENT, {*attachment, m_pdf_base64});
    }
    const std::string leader = person_name(m_rng);
    const std::size_t target = static_cast<std::size_t>(
        m_rng.between(0, static_cast<long long>(call.target_options.size()) - 1));
    const std::string users = std::to_string(m_rng.between(5, 2000));
    m_writer.row(APPLICATION_ANSWER,
                 {id, call.field_leader, leader, Value::null(), Value::null(), Value::null()});
    if (complete) {
        m_writer.row(APPLICATION_ANSWER, {id, call.field_description, description, Value::null(),
                                          Value::null(), Value::null()});
        m_writer.row(APPLICATION_ANSWER, {id, call.field_target, Value::null(), Value::null(),
                                          call.target_options[target], Value::null()});
        m_writer.row(APPLICATION_ANSWER,
                     {id, call.field_users, Value::null(), users, Value::null(), Value::null()});
    }
    if (attachment) {
        m_writer.row(APPLICATION_ANSWER, {id, call.field_plan, Value::null(), Value::null(),
                                          Value::null(), *attachment});
    }

    // The submitted revision: the whole application as JSON.
    if (submitted_at) {
        boost::json::object document;
        char reference[32];
        std::snprintf(reference, sizeof reference, "SPIRE-%d-%04d", reference_year,
                      reference_number);
        document["reference"] = reference;
        document["title"] = title;
        document["summary"] = summary;
        boost::json::array theme_list;
        for (auto theme : themes)
            theme_list.emplace_back(theme);
        document["themes"] = std::move(theme_list);
        document["start_year"] = start_year;
        document["duration_years"] = duration;
        // The shape ApplicationsService stores (applications/service.cpp).
        auto optional = [](bool present, long long value) {
            return present ? boost::json::value(value) : boost::json::value(nullptr);
        };
        document["external_call_id"] = optional(research, research ? external_call->first : 0);
        document["external_call"] = research ? EXTERNAL_CALLS[external_index].title : "";
        document["project_total_ore"] = optional(research, total);
        document["external_applied_ore"] = optional(research, external_applied);
        document["own_contribution_ore"] = optional(research, requested);
        document["partnership_model_id"] =
            optional(partnership_model.has_value(), partnership_model.value_or(0));
        document["partnership_model"] =
            partnership_model ? PARTNERSHIP_MODELS[model_index].first : "";
        document["budget_total_ore"] = total;
        document["requested_ore"] = requested;
        boost::json::array budget_list;
        for (const auto& line : budget)
            budget_list.push_back(
                {{"year", line.year}, {"cost_type", line.cost_type}, {"amount_ore", line.amount}});
        document["budget"] = std::move(budget_list);
        boost::json::array financing_list;
        for (const auto& line : financing)
            financing_list.push_back({{"source", line.source},
                                      {"funder_name", line.funder},
                                      {"cash_ore", line.cash},
                                      {"in_kind_hours", line.hours},
                                      {"hourly_rate_ore", line.rate}});
        document["financing"] = std::move(financing_list);
        boost::json::array partner_list;
        for (const auto& partner : partners)
            partner_list.push_back({{"name", PARTNER_NAMES[partner.name].name},
                                    {"organisation_number", m_partner_numbers[partner.name]},
                                    {"kind", PARTNER_NAMES[partner.name].kind},
                                    {"role", partner.role}});
        document["partners"] = std::move(partner_list);
        boost::json::array answers;
        auto answer = [&](long long field, std::string_view label, std::string_view kind,
                          std::string_view value) {
            answers.push_back({{"field_id", field},
                               {"label", label},
                               {"kind", kind},
                               {"value", value},
                               {"value_is_msgid", false}});
        };
        answer(call.field_leader, "Prosjektleder", "short_text", leader);
        answer(call.field_description, "Beskrivelse av prosjektet", "long_text", description);
        answer(call.field_target, "Hovedmålgruppe", "single_choice", TARGET_GROUPS[target]);
        answer(call.field_users, "Antall brukere som berøres", "number", users);
        if (attachment)
            answer(call.field_plan, "Prosjektplan", "file", file_name);
        document["answers"] = std::move(answers);
        boost::json::array attachments;
        if (attachment)
            attachments.push_back({{"attachment_id", *attachment},
                                   {"field_id", call.field_plan},
                                   {"file_name", file_name},
                                   {"media_type", "application/pdf"},
                                   {"size_bytes", static_cast<long long>(TINY_PDF.size())},
                                   {"sha256", m_pdf_sha256}});
        document["attachments"] = std::move(attachments);
        m_writer.row(APPLICATION_REVISION, {next_id("application_revision"), id, 1, *submitted_by,
                                            submitted_text, boost::json::serialize(document)});
    }

    for (const auto& change : history) {
        m_writer.row(APPLICATION_STATUS_CHANGE,
                     {next_id("application_status_change"), id,
                      change.from ? Value(*change.from) : Value::null(), change.to, change.user,
                      change.comment, db_time(change.at)});
    }

    // Search: title, summary, themes and text answers, as the service
    // writes it (applications/service.cpp, search_text.hpp).
    std::vector<std::string_view> parts = {title, summary};
    parts.insert(parts.end(), themes.begin(), themes.end());
    parts.push_back(leader);
    if (complete)
        parts.push_back(description);
    const std::string body = applications::search_body(parts);
    if (m_engine == db::Engine::Sqlite)
        m_writer.row(APPLICATION_SEARCH, {id, applications::fts5_organisation_token(org.id),
                                          applications::fts5_document(body)});
    else
        m_writer.row(APPLICATION_SEARCH, {id, org.id, body});

    // After the application's own rows: SQLite checks each reference as
    // the row goes in.
    if (status == "submitted")
        reviews(org, call, id, *submitted_at);
}

// --- Reviews (issue 6 §8) --------------------------------------------------------

// The panel: about one reviewer per 20 applications the organisation gets
// (5 at least, 150 at most), in every call's pool; each call is reviewed by
// REVIEWS_PER_APPLICATION of them per application and has its own seed.
void Generator::review_panel(Organisation& org, long long applications) {
    Rng& rng = m_review_rng;
    const long long panel = std::clamp<long long>(applications / 20, 5, 150);
    for (long long i = 1; i <= panel; ++i) {
        org.reviewers.push_back(user(rng, org, "reviewer-" + std::to_string(i), "reviewer",
                                     std::nullopt, std::nullopt));
        // Leniency in scale points: most within half a point of the panel.
        org.leniency.push_back(0.5 * rng.normal());
    }
    for (const auto& call : org.calls) {
        m_writer.row(CALL_REVIEW_SETTINGS, {call.id, org.id, REVIEWS_PER_APPLICATION, Value::null(),
                                            0, rng.between(1, 999'999'999), m_created_at});
        for (long long reviewer : org.reviewers)
            m_writer.row(CALL_REVIEWER,
                         {call.id, reviewer, org.id, 1, org.fund_manager, m_created_at});
    }
}

// REVIEWS_PER_APPLICATION reviewers from the panel, each declaring first
// (forvaltningsloven § 6): about 2 % declare a conflict, their assignment
// is withdrawn and the next reviewer takes it. Scores come from the
// application's latent quality, the reviewer's leniency and noise, so the
// calibrated ranking has something to calibrate. Closed calls' reviews are
// nearly all submitted; the rolling call has more still in draft.
void Generator::reviews(const Organisation& org, const CallInfo& call, long long application,
                        long long submitted_at) {
    Rng& rng = m_review_rng;
    const double quality = 4.3 + 1.1 * rng.normal();
    const long long assigned_at =
        office_hours(rng, (call.rolling ? submitted_at : call.closes) + rng.between(1, 5) * 86'400);
    const std::string assigned_text = db_time(assigned_at);
    const double draft_share = call.rolling ? 0.15 : 0.03;
    const auto panel = static_cast<long long>(org.reviewers.size());
    // A random start and step through the panel: distinct reviewers.
    const long long start = rng.between(0, panel - 1);
    long long step = rng.between(1, panel - 1);
    while (std::gcd(step, panel) != 1)
        --step;
    int assigned = 0;
    for (long long k = 0; k < panel && assigned < REVIEWS_PER_APPLICATION; ++k) {
        const auto index = static_cast<std::size_t>((start + k * step) % panel);
        const long long reviewer = org.reviewers[index];
        const long long assignment = next_id("review_assignment");
        const long long declared = office_hours(rng, assigned_at + rng.between(1, 72) * 3600);
        const std::string declared_text = db_time(declared);
        if (rng.chance(0.02)) {
            m_writer.row(REVIEW_ASSIGNMENT, {assignment, org.id, call.id, application, reviewer,
                                             "withdrawn", Value::null(), "", org.fund_manager,
                                             assigned_text, Value::null(), declared_text});
            m_writer.row(CONFLICT_DECLARATION,
                         {next_id("conflict_declaration"), org.id, application, reviewer, 1,
                          rng.pick(CONFLICT_CATEGORIES), rng.pick(CONFLICT_NOTES), reviewer,
                          declared_text});
            continue;
        }
        const bool draft = rng.chance(draft_share);
        const std::size_t scored = draft ? static_cast<std::size_t>(rng.between(
                                               0, static_cast<long long>(call.criteria.size()) - 1))
                                         : call.criteria.size();
        std::vector<int> scores;
        for (std::size_t c = 0; c < scored; ++c) {
            const double raw = quality + org.leniency[index] + 0.9 * rng.normal();
            scores.push_back(static_cast<int>(std::clamp(std::lround(raw), 1L, 7L)));
        }
        const double mean =
            scores.empty() ? 0 : std::accumulate(scores.begin(), scores.end(), 0.0) / scores.size();
        const std::string_view recommendation = mean >= 5.0   ? "fund"
                                                : mean >= 4.0 ? "fund_with_changes"
                                                              : "do_not_fund";
        const long long done = office_hours(rng, declared + rng.between(1, 14) * 86'400);
        const std::string done_text = db_time(done);
        m_writer.row(CONFLICT_DECLARATION,
                     {next_id("conflict_declaration"), org.id, application, reviewer, 0,
                      Value::null(), "", reviewer, declared_text});
        m_writer.row(REVIEW_ASSIGNMENT,
                     {assignment, org.id, call.id, application, reviewer,
                      draft ? "assigned" : "submitted",
                      draft ? Value::null() : Value(recommendation),
                      draft ? std::string_view("") : rng.pick(REVIEW_COMMENTS), org.fund_manager,
                      assigned_text, draft ? Value::null() : Value(done_text),
                      draft ? declared_text : done_text});
        for (std::size_t c = 0; c < scores.size(); ++c)
            m_writer.row(REVIEW_SCORE, {assignment, call.criteria[c], scores[c], ""});
        ++assigned;
    }
}

// What autovacuum would do soon after a load, done now so that the data set
// is measured as a running system sees it: fresh statistics, and the
// visibility map set, without which every "index-only" scan (the staff
// lists' counts) still reads each row from the heap (19.5 against 3.3 ms for
// Oslo's count). VACUUM cannot run in a transaction block, so it follows the
// load's. A snapshot older than the load (an autovacuum ANALYZE that started
// during it) keeps VACUUM from marking the new rows all-visible; seen once in
// two runs, so the map is checked and VACUUM repeated until it is set.
// Only the loaded tables, in this schema: tests share a database.
void vacuum_loaded_tables(db::Database& database) {
    std::string tables, names;
    for (const auto& table : table_specs(database.engine())) {
        tables += (tables.empty() ? "" : ", ") + table.name;
        names += (names.empty() ? "'" : ", '") + table.name + "'";
    }
    const std::string pages_not_visible =
        "SELECT COALESCE(SUM(relpages - relallvisible), 0) FROM pg_class "
        "WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace "
        "AND relname IN (" +
        names + ")";
    for (int attempt = 0; attempt < 30; ++attempt) {
        if (attempt > 0)
            std::this_thread::sleep_for(std::chrono::seconds(1));
        long long missing = 0;
        database.single_statement([&](soci::session& session) {
            session << "VACUUM (ANALYZE) " + tables;
            session << pages_not_visible, soci::into(missing);
        });
        if (missing == 0)
            return;
    }
    std::fprintf(stderr, "demo: the visibility map is not fully set after VACUUM; an older "
                         "transaction is still open, lists will read from the heap\n");
}

} // namespace

std::string national_fund_manager_email(const std::string& slug) {
    return "fund-manager@" + slug + ".example";
}

const std::vector<std::string>& national_search_words() {
    return SEARCH_WORDS;
}

Result<NationalSummary> create_national_demo(db::Database& database,
                                             const NationalOptions& options) {
    if (options.password_hash.empty())
        return tl::unexpected(Error::invalid("national demo: no password hash given"));
    auto loaded = database.transact([&](soci::session& session) -> Result<NationalSummary> {
        auto writer =
            BulkWriter::create(database.engine(), session, table_specs(database.engine()));
        if (writer->query_integer("SELECT COUNT(*) FROM organisation") > 0) {
            return tl::unexpected(Error::conflict(
                "the national demo needs a database without organisations; this one has some"));
        }
        // PostgreSQL builds an index (above all the search table's GIN
        // index) far faster in one go than row by row: the secondary
        // indexes of the loaded tables are dropped and made again from
        // their own definitions, in this transaction.
        std::vector<std::string> indexes;
        if (database.engine() == db::Engine::Postgresql) {
            std::string tables;
            for (const auto& table : table_specs(database.engine()))
                tables += (tables.empty() ? "'" : ", '") + table.name + "'";
            const std::string secondary =
                " FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename IN (" +
                tables +
                ") AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
                "AND c.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = "
                "current_schema()))";
            indexes = writer->query_strings("SELECT i.indexdef" + secondary);
            for (const auto& name : writer->query_strings("SELECT i.indexname" + secondary))
                writer->execute("DROP INDEX \"" + name + "\"");
            writer->execute("SET LOCAL maintenance_work_mem = '256MB'");
            // Foreign keys are checked by one trigger call per row, most of
            // the load's time. A superuser (the benchmark's throwaway
            // cluster) may skip them: the generator makes only rows whose
            // references exist (demo_national_test checks it); anyone else
            // gets them checked.
            if (writer->query_integer("SELECT CASE WHEN rolsuper THEN 1 ELSE 0 END FROM pg_roles "
                                      "WHERE rolname = current_user") == 1) {
                writer->execute("SET LOCAL session_replication_role = replica");
            }
        }
        // SQLite cannot switch triggers off the way PostgreSQL's replica
        // role does above, and the ranking input triggers (one upsert per
        // score, assignment and submitted application) were a quarter of the
        // load's time; the staff and theme count triggers add an upsert per
        // application and theme. They are dropped and made again from their
        // own definitions, in this transaction. A fresh load needs no bumps:
        // a call without a version row is at version 0 and nothing is
        // cached; the counts are counted afresh below.
        std::vector<std::string> triggers;
        if (database.engine() == db::Engine::Sqlite) {
            const std::string load_triggers =
                " FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'ranking\\_input\\_%' "
                "ESCAPE '\\' OR name LIKE 'application\\_staff\\_count\\_%' ESCAPE '\\' "
                "OR name LIKE 'application\\_theme\\_count\\_%' ESCAPE '\\')";
            triggers = writer->query_strings("SELECT sql" + load_triggers);
            for (const auto& name : writer->query_strings("SELECT name" + load_triggers))
                writer->execute("DROP TRIGGER \"" + name + "\"");
        }
        Generator generator(*writer, database.engine(), options);
        NationalSummary summary = generator.run();
        for (const auto& index : indexes)
            writer->execute(index);
        for (const auto& trigger : triggers)
            writer->execute(trigger);
        // The staff lists' counts (004_staff_count.*.sql,
        // 005_theme_count.*.sql), whose triggers the load skipped (replica
        // role) or dropped (SQLite): counted afresh from the loaded rows,
        // which is exact either way.
        writer->execute("DELETE FROM application_staff_count");
        writer->execute(
            "INSERT INTO application_staff_count (organisation_id, fund_id, status, "
            "applications) SELECT organisation_id, fund_id, status, count(*) FROM application "
            "WHERE revision_count > 0 GROUP BY organisation_id, fund_id, status");
        writer->execute("DELETE FROM application_theme_count");
        writer->execute(
            "INSERT INTO application_theme_count (organisation_id, theme, fund_id, status, "
            "applications) SELECT a.organisation_id, t.theme, a.fund_id, a.status, count(*) "
            "FROM application_theme t JOIN application a ON a.id = t.application_id "
            "WHERE a.revision_count > 0 GROUP BY a.organisation_id, t.theme, a.fund_id, a.status");
        if (database.engine() == db::Engine::Postgresql) {
            for (auto table : ID_TABLES) {
                const std::string name(table);
                writer->execute("SELECT setval(pg_get_serial_sequence('" + name +
                                "', 'id'), MAX(id)) FROM " + name + " HAVING MAX(id) IS NOT NULL");
            }
        }
        return summary;
    });
    if (loaded && database.engine() == db::Engine::Postgresql)
        vacuum_loaded_tables(database);
    return loaded;
}

} // namespace spire::app
