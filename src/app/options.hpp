#pragma once

// Command-line flags, each also settable through a SPIRE_* environment
// variable (the flag wins). Unknown flags and bad values are errors with a
// message that says what to do; nothing is silently ignored.

#include "core/error.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::app {

enum class FlagKind { Value, Switch };

struct FlagSpec {
    std::string name; // without the leading "--"
    FlagKind kind = FlagKind::Value;
    std::string default_value;
    std::string help;
    // SPIRE_<NAME> with '-' as '_', e.g. --read-timeout-ms <-> SPIRE_READ_TIMEOUT_MS
    std::string env_name() const;
};

class Options {
public:
    // argv after the command name. Environment lookups go through getenv.
    static Result<Options> parse(const std::vector<FlagSpec>& specs,
                                 const std::vector<std::string>& args);

    // The flag's value; given more than once, the last one.
    std::string get(std::string_view name) const;
    // Every value of a repeatable flag (--role a --role b), in command-line
    // order; when the command line has none, the environment's or default
    // value if not empty.
    std::vector<std::string> get_all(std::string_view name) const;
    bool enabled(std::string_view name) const;
    // Integer flag within [min, max]; the error names the flag.
    Result<long long> get_int(std::string_view name, long long min, long long max) const;
    bool help_requested() const { return m_help; }
    const std::vector<std::string>& positional() const { return m_positional; }

private:
    std::map<std::string, std::string, std::less<>> m_values;
    std::map<std::string, std::vector<std::string>, std::less<>> m_given; // command line only
    std::vector<std::string> m_positional;
    bool m_help = false;
};

std::string usage(std::string_view command, std::string_view summary,
                  const std::vector<FlagSpec>& specs);

} // namespace spire::app
