#include "allocation/scenario_file.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <initializer_list>
#include <limits>

namespace spire::allocation {

namespace json = boost::json;

namespace {

constexpr const char* SCENARIO_INVALID = "The allocation scenario file is not valid.";
constexpr const char* RECORD_INVALID = "The lottery record is not valid.";
constexpr const char* VERIFY_INVALID = "The file to verify is not valid.";

enum class Required { Yes, No };

std::string path_of(std::string_view base, std::string_view key) {
    return base.empty() ? std::string(key) : std::string(base) + "/" + std::string(key);
}

std::string path_of(std::string_view base, std::size_t index) {
    return path_of(base, std::to_string(index));
}

// Reads typed values out of a parsed document, collecting one field error
// per problem (with its path) instead of stopping at the first.
class Reader {
public:
    void fail(std::string path, std::string message) {
        if (m_errors.size() < MAX_ERRORS)
            m_errors.push_back({path.empty() ? "(document)" : std::move(path), std::move(message)});
    }
    bool ok() const { return m_errors.empty(); }
    Error error(const char* message) const { return Error::invalid(message, m_errors); }

    const json::object* object(const json::value& value, const std::string& path) {
        if (!value.is_object()) {
            fail(path, "must be an object");
            return nullptr;
        }
        return &value.get_object();
    }

    // Unknown keys are refused: a typo ("min_shares") must not be ignored.
    void only_keys(const json::object& object, const std::string& path,
                   std::initializer_list<std::string_view> keys) {
        for (const auto& entry : object) {
            if (std::find(keys.begin(), keys.end(), entry.key()) == keys.end())
                fail(path_of(path, entry.key()), "unknown key");
        }
    }

    const json::value* member(const json::object& object, std::string_view key,
                              const std::string& path, Required required) {
        const auto* value = object.if_contains(key);
        if (!value && required == Required::Yes)
            fail(path_of(path, key), "is required");
        return value;
    }

    std::optional<std::string> string(const json::object& object, std::string_view key,
                                      const std::string& path, Required required) {
        const auto* value = member(object, key, path, required);
        if (!value)
            return std::nullopt;
        if (!value->is_string()) {
            fail(path_of(path, key), "must be a string");
            return std::nullopt;
        }
        return std::string(value->get_string());
    }

    std::optional<long long> integer(const json::value& value, const std::string& path,
                                     long long min, long long max, const char* what) {
        if (value.is_uint64() ||
            (value.is_int64() && (value.get_int64() < min || value.get_int64() > max))) {
            fail(path, std::string("must be ") + what + " from " + std::to_string(min) + " to " +
                           std::to_string(max));
            return std::nullopt;
        }
        if (!value.is_int64()) {
            fail(path, std::string("must be ") + what + " (a whole number)");
            return std::nullopt;
        }
        return value.get_int64();
    }

    std::optional<long long> integer(const json::object& object, std::string_view key,
                                     const std::string& path, Required required, long long min,
                                     long long max, const char* what) {
        const auto* value = member(object, key, path, required);
        if (!value)
            return std::nullopt;
        return integer(*value, path_of(path, key), min, max, what);
    }

    std::optional<Ore> ore(const json::object& object, std::string_view key,
                           const std::string& path) {
        return integer(object, key, path, Required::Yes, 0, MAX_AMOUNT_ORE, "an amount in øre");
    }

    std::optional<double> number(const json::object& object, std::string_view key,
                                 const std::string& path, Required required) {
        const auto* value = member(object, key, path, required);
        if (!value)
            return std::nullopt;
        if (value->is_int64())
            return double(value->get_int64());
        if (value->is_uint64())
            return double(value->get_uint64());
        if (value->is_double())
            return value->get_double();
        fail(path_of(path, key), "must be a number");
        return std::nullopt;
    }

    std::optional<bool> boolean(const json::object& object, std::string_view key,
                                const std::string& path) {
        const auto* value = member(object, key, path, Required::No);
        if (!value)
            return std::nullopt;
        if (!value->is_bool()) {
            fail(path_of(path, key), "must be true or false");
            return std::nullopt;
        }
        return value->get_bool();
    }

    const json::array* array(const json::object& object, std::string_view key,
                             const std::string& path, Required required, std::size_t max_size) {
        const auto* value = member(object, key, path, required);
        if (!value)
            return nullptr;
        if (!value->is_array()) {
            fail(path_of(path, key), "must be an array");
            return nullptr;
        }
        if (value->get_array().size() > max_size) {
            fail(path_of(path, key), "has more than " + std::to_string(max_size) + " entries");
            return nullptr;
        }
        return &value->get_array();
    }

    std::vector<std::string> strings(const json::object& object, std::string_view key,
                                     const std::string& path, Required required,
                                     std::size_t max_size) {
        std::vector<std::string> out;
        const auto* items = array(object, key, path, required, max_size);
        if (!items)
            return out;
        for (std::size_t i = 0; i < items->size(); ++i) {
            if ((*items)[i].is_string())
                out.emplace_back((*items)[i].get_string());
            else
                fail(path_of(path_of(path, key), i), "must be a string");
        }
        return out;
    }

private:
    // Enough to fix a file by; a million errors help nobody.
    static constexpr std::size_t MAX_ERRORS = 100;
    std::vector<FieldError> m_errors;
};

// The document, or Invalid with why it is not JSON.
Result<json::value> parse_json(std::string_view text, const char* invalid) {
    if (text.size() > MAX_FILE_BYTES)
        return tl::unexpected(Error::too_large(
            "The file is larger than " + std::to_string(MAX_FILE_BYTES / (1024 * 1024)) + " MiB."));
    boost::system::error_code ec;
    json::parse_options options;
    options.max_depth = 16; // our formats nest five deep
    auto value = json::parse(text, ec, {}, options);
    if (ec)
        return tl::unexpected(
            Error::invalid(invalid, {{"(document)", "is not JSON: " + ec.message()}}));
    return value;
}

void check_format(Reader& reader, const json::object& object, std::string_view expected) {
    auto format = reader.string(object, "format", "", Required::Yes);
    if (format && *format != expected)
        reader.fail("format", "must be \"" + std::string(expected) + "\"");
}

// {"year": 2024, "programme": "risk_capital", "amount_ore": 100}
std::optional<CellAmount> read_cell_amount(Reader& reader, const json::value& value,
                                           const std::string& path) {
    const auto* object = reader.object(value, path);
    if (!object)
        return std::nullopt;
    reader.only_keys(*object, path, {"year", "programme", "amount_ore"});
    auto year = reader.integer(*object, "year", path, Required::Yes, MIN_YEAR, MAX_YEAR, "a year");
    auto programme = reader.string(*object, "programme", path, Required::Yes);
    auto amount = reader.ore(*object, "amount_ore", path);
    if (!year || !programme || !amount)
        return std::nullopt;
    return CellAmount{{int(*year), std::move(*programme)}, *amount};
}

std::vector<CellAmount> read_cell_amounts(Reader& reader, const json::object& object,
                                          std::string_view key, const std::string& path,
                                          std::size_t max_size) {
    std::vector<CellAmount> out;
    const auto* items = reader.array(object, key, path, Required::Yes, max_size);
    if (!items)
        return out;
    for (std::size_t i = 0; i < items->size(); ++i) {
        if (auto amount = read_cell_amount(reader, (*items)[i], path_of(path_of(path, key), i)))
            out.push_back(std::move(*amount));
    }
    return out;
}

std::optional<RankInfo> read_rank(Reader& reader, const json::object& object,
                                  const std::string& path) {
    const auto* value = reader.member(object, "rank", path, Required::No);
    if (!value)
        return std::nullopt;
    auto rank_path = path_of(path, "rank");
    const auto* rank = reader.object(*value, rank_path);
    if (!rank)
        return std::nullopt;
    reader.only_keys(*rank, rank_path, {"expected", "low", "high"});
    auto expected = reader.number(*rank, "expected", rank_path, Required::Yes);
    auto low = reader.number(*rank, "low", rank_path, Required::Yes);
    auto high = reader.number(*rank, "high", rank_path, Required::Yes);
    if (!expected || !low || !high)
        return std::nullopt;
    return RankInfo{*expected, *low, *high};
}

std::optional<Candidate> read_candidate(Reader& reader, const json::value& value,
                                        const std::string& path) {
    const auto* object = reader.object(value, path);
    if (!object)
        return std::nullopt;
    reader.only_keys(*object, path,
                     {"id", "value", "costs", "unit", "themes", "lock", "below_threshold", "rank"});
    Candidate candidate;
    candidate.id = reader.string(*object, "id", path, Required::Yes).value_or("");
    candidate.value = reader.number(*object, "value", path, Required::Yes).value_or(0);
    candidate.costs = read_cell_amounts(reader, *object, "costs", path, MAX_COSTS_PER_CANDIDATE);
    candidate.unit = reader.string(*object, "unit", path, Required::No).value_or("");
    candidate.themes =
        reader.strings(*object, "themes", path, Required::No, MAX_THEMES_PER_CANDIDATE);
    if (auto lock = reader.string(*object, "lock", path, Required::No)) {
        if (auto parsed = parse_lock(*lock))
            candidate.lock = *parsed;
        else
            reader.fail(path_of(path, "lock"), "must be \"free\", \"yes\" or \"no\"");
    }
    candidate.below_threshold = reader.boolean(*object, "below_threshold", path).value_or(false);
    candidate.rank = read_rank(reader, *object, path);
    return candidate;
}

std::optional<ShareLimit> read_share_limit(Reader& reader, const json::value& value,
                                           const std::string& path) {
    const auto* object = reader.object(value, path);
    if (!object)
        return std::nullopt;
    reader.only_keys(*object, path, {"programme", "theme", "min", "max"});
    ShareLimit limit;
    auto programme = reader.string(*object, "programme", path, Required::No);
    auto theme = reader.string(*object, "theme", path, Required::No);
    if (programme.has_value() == theme.has_value()) {
        reader.fail(path, "needs either \"programme\" or \"theme\"");
        return std::nullopt;
    }
    limit.target = programme ? ShareTarget::Programme : ShareTarget::Theme;
    limit.name = programme ? *programme : *theme;
    limit.min = reader.number(*object, "min", path, Required::No);
    limit.max = reader.number(*object, "max", path, Required::No);
    return limit;
}

Constraints read_constraints(Reader& reader, const json::object& root) {
    Constraints constraints;
    const auto* value = reader.member(root, "constraints", "", Required::No);
    if (!value)
        return constraints;
    const std::string path = "constraints";
    const auto* object = reader.object(*value, path);
    if (!object)
        return constraints;
    reader.only_keys(*object, path, {"share_limits", "partial_funding", "max_grants_per_unit"});
    if (const auto* limits =
            reader.array(*object, "share_limits", path, Required::No, MAX_SHARE_LIMITS)) {
        for (std::size_t i = 0; i < limits->size(); ++i) {
            if (auto limit =
                    read_share_limit(reader, (*limits)[i], path_of(path + "/share_limits", i)))
                constraints.share_limits.push_back(std::move(*limit));
        }
    }
    if (const auto* partial = reader.member(*object, "partial_funding", path, Required::No)) {
        auto partial_path = path + "/partial_funding";
        if (const auto* partial_object = reader.object(*partial, partial_path)) {
            reader.only_keys(*partial_object, partial_path, {"min_share"});
            if (auto share =
                    reader.number(*partial_object, "min_share", partial_path, Required::Yes))
                constraints.partial_funding = PartialFunding{*share};
        }
    }
    if (auto cap = reader.integer(*object, "max_grants_per_unit", path, Required::No, 1,
                                  int(MAX_CANDIDATES), "a number of grants"))
        constraints.max_grants_per_unit = int(*cap);
    return constraints;
}

OptimiserSettings read_optimiser(Reader& reader, const json::object& root) {
    OptimiserSettings settings;
    const auto* value = reader.member(root, "optimiser", "", Required::No);
    if (!value)
        return settings;
    const auto* object = reader.object(*value, "optimiser");
    if (!object)
        return settings;
    reader.only_keys(*object, "optimiser", {"relative_gap", "max_seconds"});
    if (auto gap = reader.number(*object, "relative_gap", "optimiser", Required::No))
        settings.relative_gap = *gap;
    if (auto seconds = reader.number(*object, "max_seconds", "optimiser", Required::No))
        settings.max_seconds = *seconds;
    return settings;
}

std::optional<LotterySettings> read_lottery_settings(Reader& reader, const json::object& root) {
    const auto* value = reader.member(root, "lottery", "", Required::No);
    if (!value)
        return std::nullopt;
    const auto* object = reader.object(*value, "lottery");
    if (!object)
        return std::nullopt;
    reader.only_keys(*object, "lottery", {"seed", "line_grants"});
    LotterySettings settings;
    settings.seed = reader.string(*object, "seed", "lottery", Required::Yes).value_or("");
    if (auto line = reader.integer(*object, "line_grants", "lottery", Required::No, 0,
                                   int(MAX_CANDIDATES), "a number of grants"))
        settings.line_grants = int(*line);
    return settings;
}

std::optional<Scenario> read_scenario(Reader& reader, const json::value& value,
                                      const std::string& path) {
    const auto* root = reader.object(value, path);
    if (!root)
        return std::nullopt;
    reader.only_keys(
        *root, path,
        {"format", "method", "budgets", "candidates", "constraints", "optimiser", "lottery"});
    check_format(reader, *root, SCENARIO_FORMAT);
    Scenario scenario;
    if (auto method = reader.string(*root, "method", path, Required::Yes)) {
        if (auto parsed = parse_method(*method))
            scenario.method = *parsed;
        else
            reader.fail(path_of(path, "method"), "must be \"optimal\", \"payline\" or \"lottery\"");
    }
    scenario.budgets = read_cell_amounts(reader, *root, "budgets", path, MAX_CELLS);
    if (const auto* candidates =
            reader.array(*root, "candidates", path, Required::Yes, MAX_CANDIDATES)) {
        for (std::size_t i = 0; i < candidates->size(); ++i) {
            if (auto candidate = read_candidate(reader, (*candidates)[i],
                                                path_of(path_of(path, "candidates"), i)))
                scenario.candidates.push_back(std::move(*candidate));
        }
    }
    scenario.constraints = read_constraints(reader, *root);
    scenario.optimiser = read_optimiser(reader, *root);
    scenario.lottery = read_lottery_settings(reader, *root);
    return scenario;
}

bool is_lower_hex_hash(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::optional<LotteryRecord> read_lottery_record(Reader& reader, const json::value& value,
                                                 const std::string& path) {
    const auto* root = reader.object(value, path);
    if (!root)
        return std::nullopt;
    reader.only_keys(*root, path,
                     {"format", "hash", "seed", "line_grants", "slots", "available", "members",
                      "order", "winners"});
    auto format = reader.string(*root, "format", path, Required::Yes);
    if (format && *format != LOTTERY_RECORD_FORMAT)
        reader.fail(path_of(path, "format"),
                    "must be \"" + std::string(LOTTERY_RECORD_FORMAT) + "\"");
    reader.string(*root, "hash", path, Required::No); // the description, for people
    LotteryRecord record;
    record.seed = reader.string(*root, "seed", path, Required::Yes).value_or("");
    if (record.seed.size() > MAX_SEED_BYTES)
        reader.fail(path_of(path, "seed"), "is too long");
    record.line_grants = int(reader
                                 .integer(*root, "line_grants", path, Required::Yes, 0,
                                          int(MAX_CANDIDATES), "a number of grants")
                                 .value_or(0));
    record.slots = int(reader
                           .integer(*root, "slots", path, Required::Yes, 0, int(MAX_CANDIDATES),
                                    "a number of grants")
                           .value_or(0));
    record.available = read_cell_amounts(reader, *root, "available", path, MAX_CELLS);
    if (const auto* members = reader.array(*root, "members", path, Required::Yes, MAX_CANDIDATES)) {
        for (std::size_t i = 0; i < members->size(); ++i) {
            auto member_path = path_of(path_of(path, "members"), i);
            const auto* object = reader.object((*members)[i], member_path);
            if (!object)
                continue;
            reader.only_keys(*object, member_path, {"id", "hash", "costs"});
            LotteryMember member;
            member.id = reader.string(*object, "id", member_path, Required::Yes).value_or("");
            if (member.id.empty() || member.id.size() > MAX_NAME_BYTES)
                reader.fail(path_of(member_path, "id"), "must be 1 to 200 bytes");
            member.hash = reader.string(*object, "hash", member_path, Required::Yes).value_or("");
            if (!is_lower_hex_hash(member.hash))
                reader.fail(path_of(member_path, "hash"), "must be 64 lower-case hex digits");
            member.costs =
                read_cell_amounts(reader, *object, "costs", member_path, MAX_COSTS_PER_CANDIDATE);
            record.members.push_back(std::move(member));
        }
    }
    record.order = reader.strings(*root, "order", path, Required::Yes, MAX_CANDIDATES);
    record.winners = reader.strings(*root, "winners", path, Required::Yes, MAX_CANDIDATES);
    return record;
}

// --- Writing ------------------------------------------------------------------------

json::object cell_json(const Cell& cell) {
    return {{"year", cell.year}, {"programme", cell.programme}};
}

json::array cell_amounts_json(const std::vector<CellAmount>& amounts) {
    json::array out;
    for (const auto& amount : amounts) {
        auto object = cell_json(amount.cell);
        object["amount_ore"] = amount.amount;
        out.push_back(std::move(object));
    }
    return out;
}

json::array strings_json(const std::vector<std::string>& strings) {
    json::array out;
    for (const auto& text : strings)
        out.push_back(json::string(text));
    return out;
}

json::object candidate_json(const Candidate& candidate) {
    json::object object{{"id", candidate.id},
                        {"value", candidate.value},
                        {"costs", cell_amounts_json(candidate.costs)}};
    if (!candidate.unit.empty())
        object["unit"] = candidate.unit;
    if (!candidate.themes.empty())
        object["themes"] = strings_json(candidate.themes);
    if (candidate.lock != Lock::Free)
        object["lock"] = lock_key(candidate.lock);
    if (candidate.below_threshold)
        object["below_threshold"] = true;
    if (candidate.rank)
        object["rank"] = {{"expected", candidate.rank->expected},
                          {"low", candidate.rank->low},
                          {"high", candidate.rank->high}};
    return object;
}

json::object constraints_json(const Constraints& constraints) {
    json::object object;
    if (!constraints.share_limits.empty()) {
        json::array limits;
        for (const auto& limit : constraints.share_limits) {
            json::object entry{{share_target_key(limit.target), limit.name}};
            if (limit.min)
                entry["min"] = *limit.min;
            if (limit.max)
                entry["max"] = *limit.max;
            limits.push_back(std::move(entry));
        }
        object["share_limits"] = std::move(limits);
    }
    if (constraints.partial_funding)
        object["partial_funding"] = {{"min_share", constraints.partial_funding->min_share}};
    if (constraints.max_grants_per_unit)
        object["max_grants_per_unit"] = *constraints.max_grants_per_unit;
    return object;
}

json::object lottery_record_json(const LotteryRecord& record) {
    json::array members;
    for (const auto& member : record.members)
        members.push_back(json::object{
            {"id", member.id}, {"hash", member.hash}, {"costs", cell_amounts_json(member.costs)}});
    return {{"format", LOTTERY_RECORD_FORMAT},
            {"hash", "HMAC-SHA256(key = SHA-256(seed), message = id), lower-case hex"},
            {"seed", record.seed},
            {"line_grants", record.line_grants},
            {"slots", record.slots},
            {"available", cell_amounts_json(record.available)},
            {"members", std::move(members)},
            {"order", strings_json(record.order)},
            {"winners", strings_json(record.winners)}};
}

json::object allocation_json(const Allocation& allocation) {
    json::array grants;
    for (const auto& grant : allocation.grants)
        grants.push_back(json::object{{"id", grant.id},
                                      {"fraction", grant.fraction},
                                      {"total_ore", grant.total()},
                                      {"amounts", cell_amounts_json(grant.amounts)}});
    json::array cells;
    for (const auto& use : allocation.cells) {
        auto object = cell_json(use.cell);
        object["budget_ore"] = use.budget;
        object["used_ore"] = use.used;
        cells.push_back(std::move(object));
    }
    json::array binding;
    for (const auto& constraint : allocation.binding)
        binding.push_back(json::object{
            {"kind", constraint.kind}, {"name", constraint.name}, {"detail", constraint.detail}});
    json::object object{{"format", RESULT_FORMAT},
                        {"method", method_key(allocation.method)},
                        {"status", solve_status_key(allocation.status)}};
    if (!allocation.message.empty())
        object["message"] = allocation.message;
    if (!allocation.culprits.empty())
        object["culprits"] = strings_json(allocation.culprits);
    object["objective"] = allocation.objective;
    if (allocation.best_bound)
        object["best_bound"] = *allocation.best_bound;
    if (allocation.proven_gap)
        object["proven_gap"] = *allocation.proven_gap;
    object["solve_seconds"] = allocation.solve_seconds;
    object["total_ore"] = allocation.total();
    object["grants"] = std::move(grants);
    object["cells"] = std::move(cells);
    object["binding_constraints"] = std::move(binding);
    return object;
}

} // namespace

Result<Scenario> parse_scenario(std::string_view text) {
    auto value = parse_json(text, SCENARIO_INVALID);
    if (!value)
        return tl::unexpected(value.error());
    Reader reader;
    auto scenario = read_scenario(reader, *value, "");
    if (!reader.ok() || !scenario)
        return tl::unexpected(reader.error(SCENARIO_INVALID));
    if (auto error = validate(*scenario)) {
        error->message = SCENARIO_INVALID;
        return tl::unexpected(std::move(*error));
    }
    return std::move(*scenario);
}

std::string write_scenario(const Scenario& scenario) {
    json::array candidates;
    for (const auto& candidate : scenario.candidates)
        candidates.push_back(candidate_json(candidate));
    json::object root{{"format", SCENARIO_FORMAT},
                      {"method", method_key(scenario.method)},
                      {"budgets", cell_amounts_json(scenario.budgets)},
                      {"candidates", std::move(candidates)},
                      {"constraints", constraints_json(scenario.constraints)},
                      {"optimiser",
                       {{"relative_gap", scenario.optimiser.relative_gap},
                        {"max_seconds", scenario.optimiser.max_seconds}}}};
    if (scenario.lottery) {
        json::object lottery{{"seed", scenario.lottery->seed}};
        if (scenario.lottery->line_grants)
            lottery["line_grants"] = *scenario.lottery->line_grants;
        root["lottery"] = std::move(lottery);
    }
    return json::serialize(root);
}

std::string write_result(const AllocationRun& run) {
    auto object = allocation_json(run.allocation);
    if (run.lottery) {
        object["lottery"] = lottery_record_json(*run.lottery);
        object["clearly_above"] = strings_json(run.clearly_above);
        object["clearly_below"] = strings_json(run.clearly_below);
    }
    return json::serialize(object);
}

Result<LotteryRecord> parse_lottery_record(std::string_view text) {
    auto value = parse_json(text, RECORD_INVALID);
    if (!value)
        return tl::unexpected(value.error());
    Reader reader;
    auto record = read_lottery_record(reader, *value, "");
    if (!reader.ok() || !record)
        return tl::unexpected(reader.error(RECORD_INVALID));
    return std::move(*record);
}

std::string write_lottery_record(const LotteryRecord& record) {
    return json::serialize(lottery_record_json(record));
}

Result<VerifyInput> parse_verify_input(std::string_view text) {
    auto value = parse_json(text, VERIFY_INVALID);
    if (!value)
        return tl::unexpected(value.error());
    Reader reader;
    const auto* root = reader.object(*value, "");
    if (!root)
        return tl::unexpected(reader.error(VERIFY_INVALID));
    VerifyInput input;
    if (root->contains("scenario") || root->contains("result")) {
        // {"scenario": ..., "result": ...}: re-run from the scenario.
        reader.only_keys(*root, "", {"scenario", "result"});
        const auto* scenario = reader.member(*root, "scenario", "", Required::Yes);
        const auto* result = reader.member(*root, "result", "", Required::Yes);
        if (scenario)
            input.scenario = read_scenario(reader, *scenario, "scenario");
        if (result) {
            const auto* result_object = reader.object(*result, "result");
            if (const auto* record = result_object ? reader.member(*result_object, "lottery",
                                                                   "result", Required::Yes)
                                                   : nullptr) {
                if (auto parsed = read_lottery_record(reader, *record, "result/lottery"))
                    input.record = std::move(*parsed);
            }
        }
    } else if (const auto* lottery = root->if_contains("lottery");
               lottery && root->contains("status")) {
        // A result file: its record (the rest of the result is not checked).
        if (auto parsed = read_lottery_record(reader, *lottery, "lottery"))
            input.record = std::move(*parsed);
    } else if (auto parsed = read_lottery_record(reader, *value, "")) {
        input.record = std::move(*parsed);
    }
    if (!reader.ok())
        return tl::unexpected(reader.error(VERIFY_INVALID));
    if (input.scenario) {
        if (auto error = validate(*input.scenario)) {
            for (auto& field : error->fields)
                field.field = "scenario/" + field.field;
            error->message = VERIFY_INVALID;
            return tl::unexpected(std::move(*error));
        }
        if (input.scenario->method != Method::Lottery || !input.scenario->lottery)
            return tl::unexpected(Error::invalid(
                VERIFY_INVALID, {{"scenario/method", "must be \"lottery\" to verify a draw"}}));
    }
    return input;
}

} // namespace spire::allocation
