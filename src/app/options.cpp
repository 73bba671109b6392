#include "app/options.hpp"

#include <charconv>
#include <cstdlib>

namespace spire::app {

std::string FlagSpec::env_name() const {
    std::string env = "SPIRE_";
    for (char c : name)
        env += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return env;
}

namespace {

const FlagSpec* find_spec(const std::vector<FlagSpec>& specs, std::string_view name) {
    for (const auto& spec : specs) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

} // namespace

Result<Options> Options::parse(const std::vector<FlagSpec>& specs,
                               const std::vector<std::string>& args) {
    Options options;
    for (const auto& spec : specs) {
        if (const char* env = std::getenv(spec.env_name().c_str()); env != nullptr)
            options.m_values[spec.name] = env;
        else
            options.m_values[spec.name] = spec.default_value;
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--help" || arg == "-h") {
            options.m_help = true;
            continue;
        }
        if (!arg.starts_with("--")) {
            options.m_positional.emplace_back(arg);
            continue;
        }
        arg.remove_prefix(2);
        std::optional<std::string> inline_value;
        if (auto equals = arg.find('='); equals != std::string_view::npos) {
            inline_value = std::string(arg.substr(equals + 1));
            arg = arg.substr(0, equals);
        }
        const FlagSpec* spec = find_spec(specs, arg);
        if (spec == nullptr)
            return Unexpected(Error::invalid("unknown flag --" + std::string(arg)));
        if (spec->kind == FlagKind::Switch) {
            if (inline_value && *inline_value != "true" && *inline_value != "false")
                return Unexpected(Error::invalid("--" + spec->name + " takes no value"));
            options.m_values[spec->name] = inline_value.value_or("true");
            continue;
        }
        if (inline_value) {
            options.m_values[spec->name] = *inline_value;
        } else if (i + 1 < args.size()) {
            options.m_values[spec->name] = args[++i];
        } else {
            return Unexpected(Error::invalid("--" + spec->name + " needs a value"));
        }
        options.m_given[spec->name].push_back(options.m_values[spec->name]);
    }
    return options;
}

std::string Options::get(std::string_view name) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? std::string() : it->second;
}

std::vector<std::string> Options::get_all(std::string_view name) const {
    if (auto given = m_given.find(name); given != m_given.end())
        return given->second;
    std::string value = get(name);
    if (value.empty())
        return {};
    return {value};
}

bool Options::enabled(std::string_view name) const {
    std::string value = get(name);
    return value == "true" || value == "1" || value == "yes";
}

Result<long long> Options::get_int(std::string_view name, long long min, long long max) const {
    std::string text = get(name);
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min ||
        value > max) {
        return Unexpected(Error::invalid("--" + std::string(name) +
                                         " must be a whole number from " + std::to_string(min) +
                                         " to " + std::to_string(max) + ", got '" + text + "'"));
    }
    return value;
}

std::string usage(std::string_view command, std::string_view summary,
                  const std::vector<FlagSpec>& specs) {
    std::string text = "Usage: spire " + std::string(command) + " [flags]\n\n" +
                       std::string(summary) + "\n\nFlags (each also from the environment):\n";
    for (const auto& spec : specs) {
        std::string left = "  --" + spec.name + (spec.kind == FlagKind::Value ? " VALUE" : "");
        text += left;
        text += std::string(left.size() < 30 ? 30 - left.size() : 1, ' ');
        text += spec.help;
        if (!spec.default_value.empty())
            text += " (default: " + spec.default_value + ")";
        text += " [" + spec.env_name() + "]\n";
    }
    text += "  --help                      show this help\n";
    return text;
}

} // namespace spire::app
