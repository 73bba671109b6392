// spire: one binary for the server and the administrative commands.
//
//   spire serve      serve the web application (migrates first)
//   spire migrate    apply database migrations
//   spire version    print the version
//   spire org|user|audit|demo   administration (app/identity_commands.hpp, app/demo.hpp)
//   spire rank FILE  rank a call's applications offline (app/rank_command.hpp)
//   spire allocate|lottery      offline allocation runs (app/allocation_commands.hpp)

#include "app/allocation_commands.hpp"
#include "app/application.hpp"
#include "app/demo.hpp"
#include "app/identity_commands.hpp"
#include "app/options.hpp"
#include "app/rank_command.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "http/server.hpp"
#include "mail/worker.hpp"

#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

using spire::app::FlagKind;
using spire::app::FlagSpec;
using spire::app::Options;

FlagSpec db_flag() {
    return {"db", FlagKind::Value, "sqlite:var/spire.db",
            "database: sqlite:PATH or postgresql://USER@HOST:PORT/NAME"};
}

std::vector<FlagSpec> serve_flags() {
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    return {
        db_flag(),
        {"host", FlagKind::Value, "127.0.0.1", "address to listen on"},
        {"port", FlagKind::Value, "8080", "port to listen on; 0 picks a free one"},
        {"threads", FlagKind::Value, std::to_string(cores), "worker threads"},
        {"root", FlagKind::Value, spire::app::default_root().string(),
         "directory with templates/ and static/"},
        {"locale-dir", FlagKind::Value, spire::app::default_locale_dir().string(),
         "directory with compiled translations"},
        {"organisation-name", FlagKind::Value, "Spire", "name shown in the page header"},
        {"trusted-proxy", FlagKind::Value, "",
         "IP address of a reverse proxy whose X-Forwarded-For/-Proto to trust"},
        {"read-timeout-ms", FlagKind::Value, "30000", "time a client has to send a request"},
        {"idle-timeout-ms", FlagKind::Value, "60000", "keep-alive wait for the next request"},
        {"shutdown-deadline-ms", FlagKind::Value, "10000",
         "time in-flight requests get on SIGTERM"},
        {"dev", FlagKind::Switch, "", "re-read templates on every request"},
        {"smtp-url", FlagKind::Value, "",
         "SMTP server for e-mail, smtp://HOST:PORT or smtps://HOST:PORT; none: mail stays queued"},
        {"smtp-starttls", FlagKind::Switch, "", "refuse to send unless smtp:// upgrades to TLS"},
        {"mail-from", FlagKind::Value, "", "sender address of e-mail (needed with --smtp-url)"},
        {"mail-poll-ms", FlagKind::Value, "5000", "how often the outbox is checked"},
    };
}

void fail(const std::string& message) {
    std::cerr << "spire: " << message << "\n";
}

// Flags and database opening are shared with the other commands
// (app/identity_commands.hpp), so every command reports errors alike.
std::optional<Options> parse_or_explain(std::string_view command, std::string_view summary,
                                        const std::vector<FlagSpec>& specs,
                                        const std::vector<std::string>& args, int& code) {
    return spire::app::command::parse_flags(command, summary, specs, args,
                                            spire::app::standard_io(), code);
}

std::shared_ptr<spire::db::Database> open_and_migrate(const std::string& url, std::size_t pool) {
    return spire::app::command::open_migrated(url, spire::app::standard_io(), pool);
}

int command_migrate(const std::vector<std::string>& args) {
    int code = 0;
    auto options = parse_or_explain("migrate", "Applies pending database migrations.", {db_flag()},
                                    args, code);
    if (!options)
        return code;
    auto database = open_and_migrate(options->get("db"), 1);
    if (!database)
        return 1;
    std::cout << "spire: database is up to date\n";
    return 0;
}

spire::Result<void> check_mail_flags(const Options& options) {
    const std::string url = options.get("smtp-url");
    if (url.empty())
        return {};
    if (auto checked = spire::mail::check_smtp_url(url); !checked)
        return checked;
    if (!spire::mail::is_plain_address(options.get("mail-from")))
        return tl::unexpected(spire::Error::invalid(
            "--mail-from must be a plain address such as noreply@example.org when --smtp-url is "
            "set"));
    return {};
}

// The outbox worker, or none without --smtp-url: then mail waits in the
// outbox for a server that has one (said once, here).
std::unique_ptr<spire::mail::Worker>
start_mail_worker(const Options& options, std::shared_ptr<spire::db::Database> database,
                  long long poll_ms) {
    const std::string url = options.get("smtp-url");
    if (url.empty()) {
        std::cerr << "spire: no --smtp-url: e-mail stays queued in the outbox" << std::endl;
        return nullptr;
    }
    spire::mail::SmtpConfig smtp;
    smtp.url = url;
    smtp.sender = {options.get("mail-from"), options.get("organisation-name")};
    smtp.require_starttls = options.enabled("smtp-starttls");
    spire::mail::WorkerConfig config;
    config.poll_interval = std::chrono::milliseconds(poll_ms);
    config.log = [](std::string_view line) { std::cerr << "spire: " << line << std::endl; };
    auto worker = std::make_unique<spire::mail::Worker>(
        std::move(database), spire::mail::SmtpSender(std::move(smtp)), std::move(config));
    worker->start();
    return worker;
}

int command_serve(const std::vector<std::string>& args) {
    int code = 0;
    auto specs = serve_flags();
    auto options = parse_or_explain(
        "serve", "Serves Spire over HTTP. Applies pending migrations first.", specs, args, code);
    if (!options)
        return code;
    auto port = options->get_int("port", 0, 65535);
    auto threads = options->get_int("threads", 1, 256);
    auto read_timeout = options->get_int("read-timeout-ms", 10, 3'600'000);
    auto idle_timeout = options->get_int("idle-timeout-ms", 10, 3'600'000);
    auto deadline = options->get_int("shutdown-deadline-ms", 0, 3'600'000);
    auto mail_poll = options->get_int("mail-poll-ms", 10, 3'600'000);
    for (const auto* value :
         {&port, &threads, &read_timeout, &idle_timeout, &deadline, &mail_poll}) {
        if (!*value) {
            fail(value->error().message);
            return spire::app::command::USAGE;
        }
    }
    if (auto mail = check_mail_flags(*options); !mail) {
        fail(mail.error().message);
        return spire::app::command::USAGE;
    }

    // One pooled session per worker thread, plus one for background work.
    auto database = open_and_migrate(options->get("db"), static_cast<std::size_t>(*threads) + 1);
    if (!database)
        return 1;

    std::unique_ptr<spire::app::Application> application;
    try {
        application = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{options->get("root"), options->get("locale-dir"),
                                  options->enabled("dev"), options->get("organisation-name"),
                                  options->get("trusted-proxy")},
            database);
    } catch (const std::exception& e) {
        fail(e.what());
        return 1;
    }

    spire::http::ServerConfig config;
    config.address = options->get("host");
    config.port = static_cast<std::uint16_t>(*port);
    config.threads = static_cast<unsigned>(*threads);
    config.read_timeout = std::chrono::milliseconds(*read_timeout);
    config.idle_timeout = std::chrono::milliseconds(*idle_timeout);
    config.shutdown_deadline = std::chrono::milliseconds(*deadline);
    spire::http::Server server(config, application->http_app());
    std::uint16_t bound = 0;
    try {
        bound = server.listen();
    } catch (const std::exception& e) {
        fail("cannot listen on " + config.address + ":" + std::to_string(config.port) + ": " +
             e.what());
        return 1;
    }
    std::cout << "spire: listening on http://" << config.address << ":" << bound << std::endl;
    auto mail_worker = start_mail_worker(*options, database, *mail_poll);
    server.run();
    // After the server has drained: a request finishing late may still queue mail.
    if (mail_worker)
        mail_worker->stop();
    std::cout << "spire: stopped" << std::endl;
    return 0;
}

int command_version() {
    std::cout << "spire " << SPIRE_VERSION << "\n";
    return 0;
}

constexpr const char* USAGE = R"(Usage: spire COMMAND [flags]

Commands:
  serve      serve the web application (applies migrations first)
  migrate    apply pending database migrations
  version    print the version
  org        add organisations (tenants)
  user       add users with roles, set passwords
  audit      verify the audit log's hash chain
  demo       fill an empty database with demo data
  rank       rank a call's applications from a ranking file (JSON)
  allocate   run an allocation scenario file (payline, optimum, lottery)
  lottery    verify a recorded lottery draw

Run 'spire COMMAND --help' for the flags of a command.
)";

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << USAGE;
        return args.empty() ? spire::app::command::USAGE : 0;
    }
    std::string command = args.front();
    args.erase(args.begin());
    if (command == "serve")
        return command_serve(args);
    if (command == "migrate")
        return command_migrate(args);
    if (command == "org")
        return spire::app::run_org_command(args, spire::app::standard_io());
    if (command == "user")
        return spire::app::run_user_command(args, spire::app::standard_io());
    if (command == "audit")
        return spire::app::run_audit_command(args, spire::app::standard_io());
    if (command == "demo")
        return spire::app::run_demo_command(args, spire::app::standard_io());
    if (command == "rank")
        return spire::app::run_rank_command(args, spire::app::standard_io());
    if (command == "allocate")
        return spire::app::run_allocate_command(args, spire::app::standard_io());
    if (command == "lottery")
        return spire::app::run_lottery_command(args, spire::app::standard_io());
    if (command == "version") {
        int code = 0;
        if (!parse_or_explain("version", "Prints the version.", {}, args, code))
            return code;
        return command_version();
    }
    fail("unknown command '" + command + "'\n" + USAGE);
    return spire::app::command::USAGE;
}
