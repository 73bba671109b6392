#include "support/unzip.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace spire::test {

bool unzip_available() {
    return std::system("command -v unzip >/dev/null 2>&1") == 0;
}

std::string unzip_member(const std::string& zip_bytes, const std::string& member) {
    std::string path = (std::filesystem::temp_directory_path() / "spire-zip-XXXXXX").string();
    int fd = ::mkstemp(path.data());
    if (fd < 0)
        throw std::runtime_error("unzip_member: mkstemp failed");
    ::close(fd);
    {
        std::ofstream out(path, std::ios::binary);
        out.write(zip_bytes.data(), static_cast<std::streamsize>(zip_bytes.size()));
    }
    // Our own temporary name and a fixed member name: nothing to quote.
    std::string command = "unzip -p '" + path + "' '" + member + "' 2>/dev/null";
    std::string output;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        std::array<char, 4096> buffer;
        std::size_t n;
        while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
            output.append(buffer.data(), n);
        ::pclose(pipe);
    }
    std::filesystem::remove(path);
    return output;
}

} // namespace spire::test
