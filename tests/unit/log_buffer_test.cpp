#include "app/log_buffer.hpp"

#include <chrono>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <string>
#include <thread>
#include <unistd.h>

using spire::app::LogBuffer;

namespace {

// A pipe whose read end is drained without blocking.
class Pipe {
public:
    Pipe() {
        if (::pipe2(m_fds, O_NONBLOCK) != 0)
            throw std::runtime_error("pipe2 failed");
    }
    ~Pipe() {
        ::close(m_fds[0]);
        ::close(m_fds[1]);
    }
    int write_end() const { return m_fds[1]; }
    std::string drain() {
        std::string out;
        char buffer[4096];
        ssize_t n;
        while ((n = ::read(m_fds[0], buffer, sizeof buffer)) > 0)
            out.append(buffer, static_cast<std::size_t>(n));
        return out;
    }

private:
    int m_fds[2];
};

} // namespace

TEST(LogBuffer, HoldsLinesUntilFlushedThenWritesThemInOrder) {
    Pipe pipe;
    LogBuffer log(pipe.write_end(), std::chrono::hours(1));
    log.append("one");
    log.append("two");
    EXPECT_EQ(pipe.drain(), "") << "an hour-long interval must not have written yet";
    log.flush();
    EXPECT_EQ(pipe.drain(), "one\ntwo\n");
}

TEST(LogBuffer, WriteNowWritesWhatWasBufferedFirst) {
    Pipe pipe;
    LogBuffer log(pipe.write_end(), std::chrono::hours(1));
    log.append("access");
    log.write_now("error");
    EXPECT_EQ(pipe.drain(), "access\nerror\n");
}

TEST(LogBuffer, WritesEverythingWhenDestroyed) {
    Pipe pipe;
    {
        LogBuffer log(pipe.write_end(), std::chrono::hours(1));
        log.append("last words");
    }
    EXPECT_EQ(pipe.drain(), "last words\n");
}

TEST(LogBuffer, WritesOnItsOwnAfterTheInterval) {
    Pipe pipe;
    LogBuffer log(pipe.write_end(), std::chrono::milliseconds(10));
    log.append("soon");
    std::string seen;
    // Not a timing assertion: waits as long as it takes (the ctest timeout
    // bounds it), only that it happens without flush().
    while (seen.empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        seen = pipe.drain();
    }
    EXPECT_EQ(seen, "soon\n");
}

TEST(LogBuffer, LargeBatchesAreWrittenWithoutWaiting) {
    Pipe pipe;
    LogBuffer log(pipe.write_end(), std::chrono::hours(1));
    std::string line(1000, 'x');
    for (int i = 0; i < 20; ++i)
        log.append(line);
    EXPECT_GE(pipe.drain().size(), 16u * 1024u);
}
