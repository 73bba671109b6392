#include "support/smtp_sink.hpp"

#include "support/app_paths.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <boost/json.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace spire::test {

namespace {

namespace json = boost::json;

// Debian's interpreter: python3-aiosmtpd is installed for it, and a
// python3 earlier on PATH (pyenv, a virtualenv) may not have it.
constexpr const char* PYTHON = "/usr/bin/python3";
constexpr auto START_TIMEOUT = std::chrono::seconds(30);
constexpr auto STOP_TIMEOUT = std::chrono::seconds(10);

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

bool accepts_connections(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    sockaddr_in address = loopback(port);
    bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string text_of(const json::value& value) {
    return value.is_string() ? std::string(value.as_string()) : std::string();
}

std::string without_cr(std::string text) {
    std::erase(text, '\r');
    return text;
}

ReceivedMail parse_record(const std::string& text) {
    const json::value record = json::parse(text);
    const json::object& o = record.as_object();
    ReceivedMail mail;
    mail.mail_from = text_of(o.at("mail_from"));
    for (const auto& to : o.at("rcpt_tos").as_array())
        mail.rcpt_tos.push_back(text_of(to));
    mail.from = text_of(o.at("from"));
    mail.to = text_of(o.at("to"));
    mail.subject = text_of(o.at("subject"));
    mail.date = text_of(o.at("date"));
    mail.message_id = text_of(o.at("message_id"));
    mail.text = without_cr(text_of(o.at("text")));
    if (o.at("html").is_string())
        mail.html = without_cr(text_of(o.at("html")));
    for (const auto& defect : o.at("defects").as_array())
        mail.defects.push_back(text_of(defect));
    return mail;
}

} // namespace

std::uint16_t free_loopback_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("bind: " + std::string(std::strerror(errno)));
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

std::unique_ptr<SmtpSink> SmtpSink::start(std::uint16_t port, std::filesystem::path directory) {
    std::filesystem::create_directories(directory);
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    const std::string dir = directory.string();
    std::vector<std::string> args = {PYTHON, "-m", "aiosmtpd",       "-n", "-l",
                                     listen, "-c", "smtp_sink.Sink", dir};
    std::vector<std::string> env = {"PYTHONPATH=" + (root_dir() / "tests" / "support").string()};
    for (char** e = environ; *e != nullptr; ++e) {
        if (!std::string_view(*e).starts_with("PYTHONPATH="))
            env.emplace_back(*e);
    }
    std::vector<char*> argv, envp;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    // The server's output goes to a file beside the messages: inherited,
    // our stdout would keep a pipe reading from the test open.
    const std::string log = (directory / ("aiosmtpd-" + std::to_string(port) + ".log")).string();
    pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork: " + std::string(std::strerror(errno)));
    if (pid == 0) {
        // Ends with the test even if the test dies without its destructors
        // (a sanitizer abort), instead of living on as an orphan.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out >= 0) {
            ::dup2(out, STDOUT_FILENO);
            ::dup2(out, STDERR_FILENO);
        }
        ::execve(PYTHON, argv.data(), envp.data());
        ::_exit(127);
    }
    std::unique_ptr<SmtpSink> sink(new SmtpSink(port, std::move(directory), pid));

    const auto deadline = std::chrono::steady_clock::now() + START_TIMEOUT;
    while (!accepts_connections(port)) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            sink->m_pid = 0;
            throw std::runtime_error("aiosmtpd exited at start (is python3-aiosmtpd installed? "
                                     "see scripts/install-deps): " +
                                     read_file(log));
        }
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("aiosmtpd did not listen on " + listen);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return sink;
}

SmtpSink::~SmtpSink() {
    stop();
}

void SmtpSink::stop() noexcept {
    if (m_pid <= 0)
        return;
    ::kill(m_pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + STOP_TIMEOUT;
    int status = 0;
    while (::waitpid(m_pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    m_pid = 0;
}

std::vector<ReceivedMail> SmtpSink::received(const std::filesystem::path& directory) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::exists(directory)) {
        for (const auto& entry : std::filesystem::directory_iterator(directory)) {
            if (entry.path().extension() == ".json")
                files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::vector<ReceivedMail> out;
    for (const auto& file : files)
        out.push_back(parse_record(read_file(file)));
    return out;
}

} // namespace spire::test
