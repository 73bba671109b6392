#include "review/ranking_file.hpp"

#include "core/problems.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <set>
#include <type_traits>
#include <unordered_map>

namespace spire::review {

namespace json = boost::json;

namespace {

// --- Reading -------------------------------------------------------------------------

std::string indexed(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::string member(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string_view type_name(const json::value& value) {
    switch (value.kind()) {
    case json::kind::null:
        return "null";
    case json::kind::bool_:
        return "true/false";
    case json::kind::int64:
    case json::kind::uint64:
        return "a whole number";
    case json::kind::double_:
        return "a number with a fraction";
    case json::kind::string:
        return "a string";
    case json::kind::array:
        return "a list";
    case json::kind::object:
        return "an object";
    }
    return "a value";
}

constexpr double MAX_RESULT_NUMBER = 1e9;

class Reader {
public:
    Problems& problems() { return m_problems; }

    void wrong_type(const std::string& path, const json::value& value, std::string_view wanted) {
        m_problems.add(path, "Expected " + std::string(wanted) + ", found " +
                                 std::string(type_name(value)));
    }

    // An object whose keys are all in `known`; null after a problem.
    const json::object* object(const json::value& value, const std::string& path,
                               std::initializer_list<std::string_view> known) {
        if (!value.is_object()) {
            wrong_type(path, value, "an object");
            return nullptr;
        }
        const auto& object = value.get_object();
        for (const auto& entry : object) {
            if (std::find(known.begin(), known.end(), std::string_view(entry.key())) == known.end())
                m_problems.add(member(path, entry.key()), "Unknown key");
        }
        return &object;
    }

    const json::array* array(const json::value& value, const std::string& path) {
        if (!value.is_array()) {
            wrong_type(path, value, "a list");
            return nullptr;
        }
        return &value.get_array();
    }

    // The member `key`, or null (reported when required).
    const json::value* find(const json::object& object, const std::string& path,
                            std::string_view key, bool required = true) {
        const auto* found = object.if_contains(key);
        if (!found && required)
            m_problems.add(member(path, key), "Missing");
        return found;
    }

    // A whole number in [min, max].
    std::optional<long long> integer(const json::value& value, const std::string& path,
                                     long long min, long long max) {
        std::optional<long long> number;
        if (value.is_int64())
            number = value.get_int64();
        else if (value.is_uint64())
            number = value.get_uint64() > std::uint64_t(std::numeric_limits<long long>::max())
                         ? std::numeric_limits<long long>::max()
                         : static_cast<long long>(value.get_uint64());
        if (!number) {
            wrong_type(path, value, "a whole number");
            return std::nullopt;
        }
        if (*number < min || *number > max) {
            m_problems.add(path, "Must be between " + std::to_string(min) + " and " +
                                     std::to_string(max));
            return std::nullopt;
        }
        return number;
    }

    std::optional<int> small_integer(const json::value& value, const std::string& path, int min,
                                     int max) {
        auto number = integer(value, path, min, max);
        return number ? std::optional<int>(static_cast<int>(*number)) : std::nullopt;
    }

    // A seed: any whole number 0 .. 2^64 - 1.
    std::optional<std::uint64_t> seed(const json::value& value, const std::string& path) {
        if (value.is_uint64())
            return value.get_uint64();
        if (value.is_int64() && value.get_int64() >= 0)
            return static_cast<std::uint64_t>(value.get_int64());
        if (value.is_int64())
            m_problems.add(path, "Must be between 0 and 18446744073709551615");
        else
            wrong_type(path, value, "a whole number");
        return std::nullopt;
    }

    // An id: a string, or a whole number standing for its decimal text.
    std::optional<std::string> id(const json::value& value, const std::string& path) {
        if (value.is_string())
            return std::string(value.get_string());
        if (value.is_int64())
            return std::to_string(value.get_int64());
        if (value.is_uint64())
            return std::to_string(value.get_uint64());
        wrong_type(path, value, "an id (a string or a whole number)");
        return std::nullopt;
    }

    std::vector<std::string> ids(const json::value& value, const std::string& path) {
        std::vector<std::string> ids;
        const auto* list = array(value, path);
        if (!list)
            return ids;
        for (std::size_t i = 0; i < list->size(); ++i) {
            if (auto id = this->id((*list)[i], indexed(path, i)))
                ids.push_back(std::move(*id));
        }
        return ids;
    }

    // A JSON number (a whole number is one too) within ±MAX_RESULT_NUMBER:
    // every number of a result is far inside, and rounding to four
    // decimals cannot overflow there.
    std::optional<double> number(const json::value& value, const std::string& path) {
        std::optional<double> number;
        if (value.is_double())
            number = value.get_double();
        else if (value.is_int64())
            number = static_cast<double>(value.get_int64());
        else if (value.is_uint64())
            number = static_cast<double>(value.get_uint64());
        if (!number) {
            wrong_type(path, value, "a number");
            return std::nullopt;
        }
        if (!(std::abs(*number) <= MAX_RESULT_NUMBER)) {
            m_problems.add(path, "Must be between -1e9 and 1e9");
            return std::nullopt;
        }
        return number;
    }

    // null or a number.
    std::optional<double> optional_number(const json::value& value, const std::string& path) {
        if (value.is_null())
            return std::nullopt;
        return number(value, path);
    }

    std::optional<bool> boolean(const json::value& value, const std::string& path) {
        if (value.is_bool())
            return value.get_bool();
        wrong_type(path, value, "true/false");
        return std::nullopt;
    }

private:
    Problems m_problems{MAX_REPORTED_PROBLEMS};
};

std::optional<Criterion> read_criterion(Reader& reader, const json::value& value,
                                        const std::string& path) {
    const auto* object = reader.object(value, path, {"id", "weight", "scale", "minimum"});
    if (!object)
        return std::nullopt;
    Criterion criterion;
    bool complete = true;
    if (const auto* id = reader.find(*object, path, "id")) {
        auto read = reader.id(*id, member(path, "id"));
        complete = complete && read;
        criterion.id = read.value_or("");
    } else {
        complete = false;
    }
    if (const auto* weight = reader.find(*object, path, "weight")) {
        auto read = reader.small_integer(*weight, member(path, "weight"), 0, 100);
        complete = complete && read;
        criterion.weight_percent = read.value_or(0);
    } else {
        complete = false;
    }
    const std::string scale_path = member(path, "scale");
    if (const auto* scale = reader.find(*object, path, "scale")) {
        if (const auto* bounds = reader.object(*scale, scale_path, {"min", "max"})) {
            const auto* min = reader.find(*bounds, scale_path, "min");
            const auto* max = reader.find(*bounds, scale_path, "max");
            auto low = min ? reader.small_integer(*min, member(scale_path, "min"), MIN_SCALE_VALUE,
                                                  MAX_SCALE_VALUE)
                           : std::nullopt;
            auto high = max ? reader.small_integer(*max, member(scale_path, "max"), MIN_SCALE_VALUE,
                                                   MAX_SCALE_VALUE)
                            : std::nullopt;
            complete = complete && low && high;
            criterion.scale_min = low.value_or(0);
            criterion.scale_max = high.value_or(0);
        } else {
            complete = false;
        }
    } else {
        complete = false;
    }
    if (const auto* minimum = reader.find(*object, path, "minimum", false);
        minimum && !minimum->is_null()) {
        auto read = reader.small_integer(*minimum, member(path, "minimum"), MIN_SCALE_VALUE,
                                         MAX_SCALE_VALUE);
        complete = complete && read;
        criterion.minimum = read;
    }
    return complete ? std::optional<Criterion>(std::move(criterion)) : std::nullopt;
}

// The scores of one review, in the criteria's order: an object with one
// whole number per criterion id, no more and no less.
std::optional<std::vector<int>> read_scores(Reader& reader, const json::value& value,
                                            const std::string& path,
                                            const std::vector<Criterion>& criteria) {
    if (!value.is_object()) {
        reader.wrong_type(path, value, "an object of scores by criterion id");
        return std::nullopt;
    }
    const auto& object = value.get_object();
    std::vector<int> scores;
    bool complete = true;
    for (const auto& criterion : criteria) {
        const std::string score_path = member(path, criterion.id);
        const auto* score = object.if_contains(criterion.id);
        if (!score) {
            reader.problems().add(score_path, "Missing score");
            complete = false;
            continue;
        }
        // The scale is checked with the criterion's own bounds by the model
        // (validate_ranking_input); here only that it is a whole number.
        auto read = reader.small_integer(*score, score_path, std::numeric_limits<int>::min(),
                                         std::numeric_limits<int>::max());
        complete = complete && read;
        scores.push_back(read.value_or(0));
    }
    for (const auto& entry : object) {
        const bool known = std::any_of(criteria.begin(), criteria.end(), [&](const auto& c) {
            return c.id == std::string_view(entry.key());
        });
        if (!known) {
            reader.problems().add(member(path, entry.key()), "Unknown criterion");
            complete = false;
        }
    }
    return complete ? std::optional<std::vector<int>>(std::move(scores)) : std::nullopt;
}

std::optional<Review> read_review(Reader& reader, const json::value& value, const std::string& path,
                                  const std::vector<Criterion>& criteria, bool criteria_complete) {
    const auto* object = reader.object(value, path, {"application", "reviewer", "scores"});
    if (!object)
        return std::nullopt;
    Review review;
    bool complete = true;
    const auto read_id = [&](std::string_view key, std::string& out) {
        const auto* found = reader.find(*object, path, key);
        auto read = found ? reader.id(*found, member(path, key)) : std::nullopt;
        complete = complete && read;
        out = read.value_or("");
    };
    read_id("application", review.application_id);
    read_id("reviewer", review.reviewer_id);
    if (const auto* scores = reader.find(*object, path, "scores")) {
        // Without every criterion, scores cannot be matched to them.
        auto read = criteria_complete
                        ? read_scores(reader, *scores, member(path, "scores"), criteria)
                        : std::nullopt;
        complete = complete && read;
        if (read)
            review.scores = std::move(*read);
    } else {
        complete = false;
    }
    return complete ? std::optional<Review>(std::move(review)) : std::nullopt;
}

// A first pass over the text with Boost.JSON's event parser: it finds
// what the value parser would hide, a key repeated in one object (the value
// parser silently keeps the last value), and says where any problem is.
class KeyChecker {
public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);
    using error_code = boost::system::error_code;

    const std::optional<std::string>& duplicate() const { return m_duplicate; }

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_array_begin(error_code&) { return true; }
    bool on_array_end(std::size_t, error_code&) { return true; }
    bool on_object_begin(error_code&) {
        m_open_objects.emplace_back();
        return true;
    }
    bool on_object_end(std::size_t, error_code&) {
        m_open_objects.pop_back();
        return true;
    }
    bool on_string_part(json::string_view, std::size_t, error_code&) { return true; }
    bool on_string(json::string_view, std::size_t, error_code&) { return true; }
    bool on_key_part(json::string_view part, std::size_t, error_code&) {
        m_key.append(part.data(), part.size());
        return true;
    }
    bool on_key(json::string_view last, std::size_t, error_code& ec) {
        m_key.append(last.data(), last.size());
        if (!m_open_objects.back().insert(m_key).second) {
            m_duplicate = std::move(m_key);
            ec = json::error::syntax; // stops the parser; duplicate() says why
            return false;
        }
        m_key.clear();
        return true;
    }
    bool on_number_part(json::string_view, error_code&) { return true; }
    bool on_int64(std::int64_t, json::string_view, error_code&) { return true; }
    bool on_uint64(std::uint64_t, json::string_view, error_code&) { return true; }
    bool on_double(double, json::string_view, error_code&) { return true; }
    bool on_bool(bool, error_code&) { return true; }
    bool on_null(error_code&) { return true; }
    bool on_comment_part(json::string_view, error_code&) { return true; }
    bool on_comment(json::string_view, error_code&) { return true; }

private:
    std::vector<std::set<std::string, std::less<>>> m_open_objects;
    std::string m_key;
    std::optional<std::string> m_duplicate;
};

// The JSON value of `text`, or why it is not one (with the byte where
// reading stopped).
Result<json::value> parse_json(std::string_view text) {
    if (text.size() > MAX_RANKING_FILE_BYTES)
        return Unexpected(Error::invalid("The ranking file is larger than " +
                                         std::to_string(MAX_RANKING_FILE_BYTES / 1024 / 1024) +
                                         " MB"));
    json::basic_parser<KeyChecker> checker{json::parse_options{}};
    boost::system::error_code ec;
    const std::size_t consumed = checker.write_some(false, text.data(), text.size(), ec);
    // The event parser stops after one value; the value parser would throw.
    if (!ec && consumed < text.size())
        ec = json::error::extra_data;
    const std::string at = " (at byte " + std::to_string(consumed) + ")";
    if (const auto& key = checker.handler().duplicate())
        return Unexpected(Error::invalid("The ranking file is not valid: the key " +
                                         json::serialize(json::string_view(*key)) +
                                         " appears twice in one object" + at));
    if (ec)
        return Unexpected(
            Error::invalid("The ranking file is not valid JSON: " + ec.message() + at));
    json::value value = json::parse(text, ec);
    if (ec) // accepted by the first pass: not expected, but never a throw
        return Unexpected(Error::invalid("The ranking file is not valid JSON: " + ec.message()));
    return value;
}

void read_sampling(Reader& reader, const json::object& root, Sampling& sampling) {
    if (const auto* seed = reader.find(root, "", "seed")) {
        if (auto read = reader.seed(*seed, "seed"))
            sampling.seed = *read;
    }
    if (const auto* burn_in = reader.find(root, "", "burn_in", false)) {
        if (auto read = reader.small_integer(*burn_in, "burn_in", 0, MAX_BURN_IN))
            sampling.burn_in = *read;
    }
    if (const auto* draws = reader.find(root, "", "draws", false)) {
        if (auto read = reader.small_integer(*draws, "draws", 1, MAX_DRAWS))
            sampling.draws = *read;
    }
}

// The model names a score by its position ("reviews[3].scores[1]"); the
// file keys scores by criterion id ("reviews[3].scores.relevance").
std::string scores_by_criterion_id(const std::string& path,
                                   const std::vector<Criterion>& criteria) {
    constexpr std::string_view SCORES = ".scores[";
    const auto at = path.find(SCORES);
    if (at == std::string::npos || path.back() != ']')
        return path;
    std::size_t index = 0;
    const char* first = path.data() + at + SCORES.size();
    const char* last = path.data() + path.size() - 1;
    auto [end, ec] = std::from_chars(first, last, index);
    if (ec != std::errc() || end != last || index >= criteria.size())
        return path;
    return path.substr(0, at) + ".scores." + criteria[index].id;
}

} // namespace

Result<RankingInput> parse_ranking_input(std::string_view text) {
    auto document = parse_json(text);
    if (!document)
        return Unexpected(document.error());
    Reader reader;
    const auto* root = reader.object(*document, "",
                                     {"version", "criteria", "applications", "reviewers", "reviews",
                                      "seed", "burn_in", "draws"});
    if (!root)
        return Unexpected(std::move(reader.problems()).error("The ranking file is not valid"));

    RankingInput input;
    if (const auto* version = reader.find(*root, "", "version", false))
        reader.small_integer(*version, "version", RANKING_FILE_VERSION, RANKING_FILE_VERSION);
    bool criteria_complete = false;
    if (const auto* criteria = reader.find(*root, "", "criteria")) {
        if (const auto* list = reader.array(*criteria, "criteria")) {
            criteria_complete = true;
            for (std::size_t i = 0; i < list->size(); ++i) {
                auto criterion = read_criterion(reader, (*list)[i], indexed("criteria", i));
                criteria_complete = criteria_complete && criterion;
                if (criterion)
                    input.criteria.push_back(std::move(*criterion));
            }
        }
    }
    if (const auto* applications = reader.find(*root, "", "applications"))
        input.applications = reader.ids(*applications, "applications");
    if (const auto* reviewers = reader.find(*root, "", "reviewers"))
        input.reviewers = reader.ids(*reviewers, "reviewers");
    if (const auto* reviews = reader.find(*root, "", "reviews")) {
        if (const auto* list = reader.array(*reviews, "reviews")) {
            if (list->size() > MAX_REVIEWS) {
                reader.problems().add("reviews",
                                      "At most " + std::to_string(MAX_REVIEWS) + " reviews");
            } else {
                for (std::size_t i = 0; i < list->size(); ++i) {
                    auto review = read_review(reader, (*list)[i], indexed("reviews", i),
                                              input.criteria, criteria_complete);
                    if (review)
                        input.reviews.push_back(std::move(*review));
                }
            }
        }
    }
    read_sampling(reader, *root, input.sampling);
    if (reader.problems().any())
        return Unexpected(std::move(reader.problems()).error("The ranking file is not valid"));

    // The rules of the model; its paths are the file's too.
    if (auto valid = validate_ranking_input(input); !valid) {
        Error error = valid.error();
        error.message = "The ranking file is not valid";
        for (auto& field : error.fields)
            field.field = scores_by_criterion_id(field.field, input.criteria);
        return Unexpected(std::move(error));
    }
    return input;
}

// --- Writing -------------------------------------------------------------------------

namespace {

// std::to_chars: for doubles the shortest text that reads back the same.
// (Values are finite: the model never produces NaN or infinity.)
template <class Number>
void append_number(std::string& out, Number number) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
    out.append(buffer, ec == std::errc() ? end : buffer);
}

void quoted_string(std::string& out, std::string_view text) {
    // Most strings (keys, ids) need no escaping: skip Boost.JSON's
    // serializer for them, which costs a microsecond a call.
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
    if (plain) {
        out += '"';
        out += text;
        out += '"';
    } else {
        out += json::serialize(json::string_view(text.data(), text.size()));
    }
}

// Indented JSON. Boost.JSON 1.81 only writes compact text, with doubles in
// exponent notation ("4.9E0"): people read these files, so numbers go
// through std::to_chars (for doubles the shortest form that reads back the
// same) and strings that need escaping through Boost.JSON's serializer.
void pretty(std::string& out, const json::value& value, int depth) {
    const auto newline = [&](int level) {
        out += '\n';
        out.append(std::size_t(level) * 2, ' ');
    };
    switch (value.kind()) {
    case json::kind::object: {
        const auto& object = value.get_object();
        if (object.empty()) {
            out += "{}";
            return;
        }
        // Small objects of numbers (a scale, a review's scores) stay on one line.
        if (object.size() <= 6 && std::all_of(object.begin(), object.end(), [](const auto& e) {
                return e.value().is_number();
            })) {
            out += '{';
            bool first = true;
            for (const auto& entry : object) {
                out += first ? "" : ", ";
                first = false;
                quoted_string(out, std::string_view(entry.key().data(), entry.key().size()));
                out += ": ";
                pretty(out, entry.value(), depth + 1);
            }
            out += '}';
            return;
        }
        out += '{';
        bool first = true;
        for (const auto& entry : object) {
            if (!first)
                out += ',';
            first = false;
            newline(depth + 1);
            quoted_string(out, std::string_view(entry.key().data(), entry.key().size()));
            out += ": ";
            pretty(out, entry.value(), depth + 1);
        }
        newline(depth);
        out += '}';
        return;
    }
    case json::kind::array: {
        const auto& array = value.get_array();
        // Short lists of numbers (intervals, scale) stay on one line.
        const bool inline_list =
            array.size() <= 4 &&
            std::all_of(array.begin(), array.end(), [](const auto& v) { return v.is_number(); });
        if (array.empty() || inline_list) {
            out += '[';
            for (std::size_t i = 0; i < array.size(); ++i) {
                if (i)
                    out += ", ";
                pretty(out, array[i], depth + 1);
            }
            out += ']';
            return;
        }
        out += '[';
        for (std::size_t i = 0; i < array.size(); ++i) {
            if (i)
                out += ',';
            newline(depth + 1);
            pretty(out, array[i], depth + 1);
        }
        newline(depth);
        out += ']';
        return;
    }
    case json::kind::double_:
        append_number(out, value.get_double());
        return;
    case json::kind::string:
        quoted_string(out, std::string_view(value.get_string().data(), value.get_string().size()));
        return;
    case json::kind::int64:
        append_number(out, value.get_int64());
        return;
    case json::kind::uint64:
        append_number(out, value.get_uint64());
        return;
    case json::kind::bool_:
        out += value.get_bool() ? "true" : "false";
        return;
    case json::kind::null:
        out += "null";
        return;
    }
}

std::string pretty(const json::value& value) {
    std::string out;
    pretty(out, value, 0);
    out += '\n';
    return out;
}

// Four decimals are far below the model's uncertainty; -0 becomes 0.
double rounded(double value) {
    const double result = std::round(value * 1e4) / 1e4;
    return result == 0 ? 0.0 : result;
}

json::value optional_number(const std::optional<double>& value) {
    return value ? json::value(rounded(*value)) : json::value(nullptr);
}

json::array interval(const Interval<int>& interval) {
    return {interval.lower, interval.upper};
}

json::value interval(const std::optional<Interval<double>>& interval) {
    if (!interval)
        return nullptr;
    return json::array{rounded(interval->lower), rounded(interval->upper)};
}

json::object application_json(const ApplicationRanking& a) {
    json::object object;
    object["id"] = a.application_id;
    object["expected_rank"] = rounded(a.expected_rank);
    object["rank_50"] = interval(a.rank_50);
    object["rank_90"] = interval(a.rank_90);
    object["quality"] = optional_number(a.quality);
    object["quality_50"] = interval(a.quality_50);
    object["quality_90"] = interval(a.quality_90);
    object["reviews"] = a.review_count;
    object["raw_mean"] = optional_number(a.raw_mean);
    object["raw_min"] = optional_number(a.raw_min);
    object["raw_max"] = optional_number(a.raw_max);
    object["spread"] = a.raw_min ? optional_number(*a.raw_max - *a.raw_min) : nullptr;
    object["disagreement"] = a.disagreement;
    json::array failures;
    for (const auto& id : a.threshold_failures)
        failures.emplace_back(id);
    object["threshold_failures"] = std::move(failures);
    return object;
}

} // namespace

std::string write_ranking_input(const RankingInput& input) {
    json::object root;
    root["version"] = RANKING_FILE_VERSION;
    json::array criteria;
    for (const auto& c : input.criteria) {
        json::object criterion;
        criterion["id"] = c.id;
        criterion["weight"] = c.weight_percent;
        criterion["scale"] = json::object{{"min", c.scale_min}, {"max", c.scale_max}};
        if (c.minimum)
            criterion["minimum"] = *c.minimum;
        criteria.push_back(std::move(criterion));
    }
    root["criteria"] = std::move(criteria);
    root["applications"] = json::value_from(input.applications);
    root["reviewers"] = json::value_from(input.reviewers);
    json::array reviews;
    for (const auto& r : input.reviews) {
        json::object scores;
        for (std::size_t c = 0; c < input.criteria.size() && c < r.scores.size(); ++c)
            scores[input.criteria[c].id] = r.scores[c];
        reviews.push_back(json::object{{"application", r.application_id},
                                       {"reviewer", r.reviewer_id},
                                       {"scores", std::move(scores)}});
    }
    root["reviews"] = std::move(reviews);
    root["seed"] = input.sampling.seed;
    root["burn_in"] = input.sampling.burn_in;
    root["draws"] = input.sampling.draws;
    return pretty(root);
}

std::string write_ranking_result(const RankingResult& result) {
    json::object root;
    root["version"] = RANKING_FILE_VERSION;
    root["state"] = result.state == RankingState::Ranked ? "ranked" : "no_reviews";
    root["seed"] = result.sampling.seed;
    root["burn_in"] = result.sampling.burn_in;
    root["draws"] = result.sampling.draws;
    root["scale"] = json::object{{"min", result.scale_min}, {"max", result.scale_max}};
    root["reliability"] = json::object{
        {"icc1_anova", optional_number(result.reliability.icc1_anova)},
        {"model_icc", optional_number(result.reliability.model_icc)},
        {"model_icc_calibrated", optional_number(result.reliability.model_icc_calibrated)}};
    if (result.variance)
        root["variance"] =
            json::object{{"tau", rounded(result.variance->tau)},
                         {"sigma_reviewer", rounded(result.variance->sigma_reviewer)},
                         {"sigma_residual", rounded(result.variance->sigma_residual)}};
    else
        root["variance"] = nullptr;

    std::vector<std::size_t> order(result.applications.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return result.applications[a].expected_rank < result.applications[b].expected_rank;
    });
    json::array applications;
    for (auto i : order)
        applications.push_back(application_json(result.applications[i]));
    root["applications"] = std::move(applications);
    return pretty(root);
}

// --- Reading a result back (the ranking cache) ----------------------------------------

namespace {

// A two-element list of numbers [lower, upper].
template <class T>
std::optional<Interval<T>> read_interval(Reader& reader, const json::value& value,
                                         const std::string& path) {
    const auto* list = reader.array(value, path);
    if (!list)
        return std::nullopt;
    if (list->size() != 2) {
        reader.problems().add(path, "Expected [lower, upper]");
        return std::nullopt;
    }
    Interval<T> interval;
    if constexpr (std::is_same_v<T, int>) {
        auto lower = reader.small_integer((*list)[0], indexed(path, 0), 0,
                                          static_cast<int>(MAX_APPLICATIONS));
        auto upper = reader.small_integer((*list)[1], indexed(path, 1), 0,
                                          static_cast<int>(MAX_APPLICATIONS));
        if (!lower || !upper)
            return std::nullopt;
        interval = {*lower, *upper};
    } else {
        auto lower = reader.number((*list)[0], indexed(path, 0));
        auto upper = reader.number((*list)[1], indexed(path, 1));
        if (!lower || !upper)
            return std::nullopt;
        interval = {*lower, *upper};
    }
    if (interval.upper < interval.lower) {
        reader.problems().add(path, "The lower end is above the upper end");
        return std::nullopt;
    }
    return interval;
}

template <class T>
std::optional<Interval<T>> read_optional_interval(Reader& reader, const json::value& value,
                                                  const std::string& path) {
    if (value.is_null())
        return std::nullopt;
    return read_interval<T>(reader, value, path);
}

ApplicationRanking read_application_result(Reader& reader, const json::value& value,
                                           const std::string& path) {
    ApplicationRanking a;
    const auto* object =
        reader.object(value, path,
                      {"id", "expected_rank", "rank_50", "rank_90", "quality", "quality_50",
                       "quality_90", "reviews", "raw_mean", "raw_min", "raw_max", "spread",
                       "disagreement", "threshold_failures"});
    if (!object)
        return a;
    auto field = [&](std::string_view key) { return reader.find(*object, path, key); };
    auto at = [&](std::string_view key) { return member(path, key); };
    if (const auto* v = field("id"))
        a.application_id = reader.id(*v, at("id")).value_or("");
    if (const auto* v = field("expected_rank"))
        a.expected_rank = reader.number(*v, at("expected_rank")).value_or(0);
    if (const auto* v = field("rank_50"))
        a.rank_50 = read_interval<int>(reader, *v, at("rank_50")).value_or(Interval<int>{});
    if (const auto* v = field("rank_90"))
        a.rank_90 = read_interval<int>(reader, *v, at("rank_90")).value_or(Interval<int>{});
    if (const auto* v = field("quality"))
        a.quality = reader.optional_number(*v, at("quality"));
    if (const auto* v = field("quality_50"))
        a.quality_50 = read_optional_interval<double>(reader, *v, at("quality_50"));
    if (const auto* v = field("quality_90"))
        a.quality_90 = read_optional_interval<double>(reader, *v, at("quality_90"));
    if (const auto* v = field("reviews"))
        a.review_count =
            reader.small_integer(*v, at("reviews"), 0, static_cast<int>(MAX_REVIEWS)).value_or(0);
    if (const auto* v = field("raw_mean"))
        a.raw_mean = reader.optional_number(*v, at("raw_mean"));
    if (const auto* v = field("raw_min"))
        a.raw_min = reader.optional_number(*v, at("raw_min"));
    if (const auto* v = field("raw_max"))
        a.raw_max = reader.optional_number(*v, at("raw_max"));
    if (const auto* v = field("spread"))
        reader.optional_number(*v, at("spread")); // derived from raw_min and raw_max
    if (const auto* v = field("disagreement"))
        a.disagreement = reader.boolean(*v, at("disagreement")).value_or(false);
    if (const auto* v = field("threshold_failures"))
        a.threshold_failures = reader.ids(*v, at("threshold_failures"));
    if (a.raw_min.has_value() != a.raw_max.has_value())
        reader.problems().add(path, "raw_min and raw_max go together");
    return a;
}

} // namespace

Result<RankingResult> parse_ranking_result(std::string_view text) {
    auto document = parse_json(text);
    if (!document)
        return Unexpected(document.error());
    Reader reader;
    const auto* root = reader.object(*document, "",
                                     {"version", "state", "seed", "burn_in", "draws", "scale",
                                      "reliability", "variance", "applications"});
    if (!root)
        return Unexpected(std::move(reader.problems()).error("The ranking result is not valid"));
    RankingResult result;
    if (const auto* version = reader.find(*root, "", "version"))
        reader.small_integer(*version, "version", RANKING_FILE_VERSION, RANKING_FILE_VERSION);
    if (const auto* state = reader.find(*root, "", "state")) {
        if (state->is_string() && state->get_string() == "ranked")
            result.state = RankingState::Ranked;
        else if (state->is_string() && state->get_string() == "no_reviews")
            result.state = RankingState::NoReviews;
        else
            reader.problems().add("state", "Expected \"ranked\" or \"no_reviews\"");
    }
    read_sampling(reader, *root, result.sampling);
    if (const auto* scale = reader.find(*root, "", "scale")) {
        if (const auto* bounds = reader.object(*scale, "scale", {"min", "max"})) {
            if (const auto* min = reader.find(*bounds, "scale", "min"))
                result.scale_min =
                    reader.small_integer(*min, "scale.min", MIN_SCALE_VALUE, MAX_SCALE_VALUE)
                        .value_or(0);
            if (const auto* max = reader.find(*bounds, "scale", "max"))
                result.scale_max =
                    reader.small_integer(*max, "scale.max", MIN_SCALE_VALUE, MAX_SCALE_VALUE)
                        .value_or(0);
        }
    }
    if (const auto* reliability = reader.find(*root, "", "reliability")) {
        if (const auto* object = reader.object(
                *reliability, "reliability", {"icc1_anova", "model_icc", "model_icc_calibrated"})) {
            auto read = [&](std::string_view key, std::optional<double>& into) {
                if (const auto* v = reader.find(*object, "reliability", key))
                    into = reader.optional_number(*v, member("reliability", key));
            };
            read("icc1_anova", result.reliability.icc1_anova);
            read("model_icc", result.reliability.model_icc);
            read("model_icc_calibrated", result.reliability.model_icc_calibrated);
        }
    }
    if (const auto* variance = reader.find(*root, "", "variance");
        variance && !variance->is_null()) {
        if (const auto* object =
                reader.object(*variance, "variance", {"tau", "sigma_reviewer", "sigma_residual"})) {
            VarianceComponents components;
            auto read = [&](std::string_view key, double& into) {
                if (const auto* v = reader.find(*object, "variance", key))
                    into = reader.number(*v, member("variance", key)).value_or(0);
            };
            read("tau", components.tau);
            read("sigma_reviewer", components.sigma_reviewer);
            read("sigma_residual", components.sigma_residual);
            result.variance = components;
        }
    }
    if (const auto* applications = reader.find(*root, "", "applications")) {
        if (const auto* list = reader.array(*applications, "applications")) {
            if (list->size() > MAX_APPLICATIONS)
                reader.problems().add("applications", "At most " +
                                                          std::to_string(MAX_APPLICATIONS) +
                                                          " applications");
            else
                for (std::size_t i = 0; i < list->size(); ++i)
                    result.applications.push_back(
                        read_application_result(reader, (*list)[i], indexed("applications", i)));
        }
    }
    if (reader.problems().any())
        return Unexpected(std::move(reader.problems()).error("The ranking result is not valid"));
    return result;
}

} // namespace spire::review
