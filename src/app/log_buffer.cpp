#include "app/log_buffer.hpp"

#include <unistd.h>

namespace spire::app {

LogBuffer::LogBuffer(int fd, std::chrono::milliseconds interval) : m_fd(fd), m_interval(interval) {
    m_flusher = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            m_wake.wait_for(lock, m_interval);
            write_locked();
        }
    });
}

LogBuffer::~LogBuffer() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_flusher.join();
    std::lock_guard lock(m_mutex);
    write_locked();
}

void LogBuffer::append(std::string_view line) {
    std::lock_guard lock(m_mutex);
    m_buffer.append(line).append(1, '\n');
    if (m_buffer.size() >= FLUSH_AT_BYTES)
        write_locked();
}

void LogBuffer::write_now(std::string_view line) {
    std::lock_guard lock(m_mutex);
    m_buffer.append(line).append(1, '\n');
    write_locked();
}

void LogBuffer::flush() {
    std::lock_guard lock(m_mutex);
    write_locked();
}

void LogBuffer::write_locked() {
    std::size_t done = 0;
    while (done < m_buffer.size()) {
        ssize_t written = ::write(m_fd, m_buffer.data() + done, m_buffer.size() - done);
        // A full pipe or a closed descriptor loses log lines; logging must
        // never block or fail a request.
        if (written <= 0)
            break;
        done += static_cast<std::size_t>(written);
    }
    m_buffer.clear();
}

} // namespace spire::app
