#pragma once

// Collects log lines and writes them in batches. One write(2) per request
// for the access log costs about as much as the rest of serving a small
// page's headers (bench/http.sh), so access-log lines are written at most
// every `interval` or when 16 KiB have gathered, like nginx's
// `access_log ... buffer= flush=`. Lines that must be seen at once (errors)
// go through write_now(), which writes what is buffered first so the order
// stays as it happened. Everything buffered is written on destruction.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace spire::app {

class LogBuffer {
public:
    LogBuffer(int fd, std::chrono::milliseconds interval);
    ~LogBuffer();
    LogBuffer(const LogBuffer&) = delete;
    LogBuffer& operator=(const LogBuffer&) = delete;

    // Adds line and a newline; written within the interval.
    void append(std::string_view line);
    // Writes everything buffered and then line, now.
    void write_now(std::string_view line);
    void flush();

private:
    static constexpr std::size_t FLUSH_AT_BYTES = 16 * 1024;
    void write_locked();

    int m_fd;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::string m_buffer;
    bool m_stopping = false;
    std::thread m_flusher;
};

} // namespace spire::app
