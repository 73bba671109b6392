// libFuzzer target for the "new scenario" form and the lottery seed
// (src/allocation/settings.cpp), behind the urlencoded parser as in the
// allocation routes. Input: the raw body of the form's POST.
// Besides "no crash, no sanitizer report", it checks what the service and
// the database rely on: accepted settings have a name of 1 to 200 bytes,
// percentages and the unit cap in range, at most one limit per programme or
// theme, only known programmes, themes and applications, no lock to fund
// an application below a minimum, and only offered calls (sorted, each
// once); a refusal is Invalid with a field error.

#include "allocation/settings.hpp"
#include "core/text.hpp"
#include "http/form.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

namespace {

using namespace spire;
using namespace spire::allocation;

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

std::string field(const http::Form& form, std::string_view name) {
    return std::string(form.get(name).value_or(""));
}

// As allocation/routes.cpp typed_from() reads the form.
ScenarioTyped typed_from(const http::Form& form) {
    ScenarioTyped typed;
    typed.name = field(form, "name");
    typed.value_kind = field(form, "value_kind");
    typed.partial = form.has("partial");
    typed.partial_min_percent = field(form, "partial_min_percent");
    typed.max_grants_per_unit = field(form, "max_grants_per_unit");
    for (std::size_t i = 1; i <= SHARE_LIMIT_ROWS; ++i) {
        const std::string prefix = "share_" + std::to_string(i) + "_";
        typed.share_limits.push_back({field(form, prefix + "group"), field(form, prefix + "min"),
                                      field(form, prefix + "max")});
    }
    for (const auto& [name, value] : form.fields()) {
        if (!name.starts_with("lock_"))
            continue;
        if (auto id = parse_digits(std::string_view(name).substr(5)))
            typed.locks[*id] = value;
    }
    for (const auto& [name, value] : form.fields()) {
        if (name == "calls")
            typed.calls.push_back(value);
    }
    return typed;
}

bool percent(std::optional<int> value, int low) {
    return !value || (*value >= low && *value <= 100);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view const body(reinterpret_cast<const char*>(data), size);
    auto const form = http::parse_urlencoded(body, http::FormLimits{.max_fields = 64});
    if (!form)
        return 0;
    ScenarioChoices choices;
    choices.applications = {1, 2, 3};
    choices.below_threshold = {3};
    choices.programmes = {7};
    choices.themes = {"klima", "skole"};
    choices.calls = {21, 22};

    auto const settings = parse_scenario_form(typed_from(*form), choices);
    if (settings) {
        check(!settings->name.empty(), "a name");
        check(settings->name.size() <= MAX_SCENARIO_NAME_BYTES, "name within the limit");
        check(percent(settings->partial_min_percent, 1), "partial share in 1..100");
        check(!settings->max_grants_per_unit || *settings->max_grants_per_unit >= 1,
              "unit cap at least 1");
        std::set<std::pair<ShareTarget, std::string>> seen;
        for (const auto& limit : settings->share_limits) {
            check(seen.insert({limit.target, limit.name}).second, "one limit per group");
            check(limit.min_percent || limit.max_percent, "a bound");
            check(percent(limit.min_percent, 0) && percent(limit.max_percent, 0),
                  "shares in 0..100");
            check(!limit.min_percent || !limit.max_percent ||
                      *limit.min_percent <= *limit.max_percent,
                  "min <= max");
            if (limit.target == ShareTarget::Programme)
                check(limit.name == "7", "a known programme");
            else
                check(choices.themes.contains(limit.name), "a known theme");
        }
        for (const auto& [application, lock] : settings->locks) {
            check(choices.applications.contains(application), "a known application");
            check(lock != Lock::Free, "free is not stored");
            check(!(lock == Lock::Yes && choices.below_threshold.contains(application)),
                  "no lock to fund below a minimum");
        }
        for (std::size_t i = 0; i < settings->extra_calls.size(); ++i) {
            check(choices.calls.contains(settings->extra_calls[i]), "an offered call");
            check(i == 0 || settings->extra_calls[i - 1] < settings->extra_calls[i],
                  "calls sorted, each once");
        }
    } else {
        check(settings.error().kind == ErrorKind::Invalid, "refusals are Invalid");
        check(!settings.error().fields.empty(), "a field error");
    }

    auto const seed = parse_seed(field(*form, "seed"));
    if (seed) {
        check(!seed->empty() && seed->size() <= MAX_SEED_TEXT_BYTES, "seed within the limit");
        check(trim(*seed) == *seed, "seed trimmed");
    } else {
        check(seed.error().fields.size() == 1 && seed.error().fields[0].field == "seed",
              "seed refusal names the field");
    }
    return 0;
}
