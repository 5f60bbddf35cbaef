// Connecting: a server that never answers, the range of the timeout flags, and passwords with spaces
// and quotes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <stdexcept>

#include "backend_cases.hpp"

using e2e::Backend;
using e2e::lines;
using e2e::Project;
using Rows = std::vector<std::string>;

namespace {

// A loopback port whose connections the kernel accepts (into the listen backlog) and nobody answers.
class SilentListener {
public:
    SilentListener() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
            ::listen(fd_, 16) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
            throw std::runtime_error("cannot listen on the loopback interface");
        }
        port_ = ntohs(address.sin_port);
    }
    ~SilentListener() { ::close(fd_); }
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;

    [[nodiscard]] int port() const { return port_; }

private:
    int fd_;
    int port_ = 0;
};

std::chrono::seconds seconds_since(std::chrono::steady_clock::time_point started) {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
}

}  // namespace

TEST_CASE("the wait timeout bounds connect attempts to a server that never answers", "[e2e][connect]") {
    Project project;
    project.init();
    const SilentListener server;
    for (const std::string scheme : {"postgresql", "mysql"}) {
        const auto url = scheme + "://app:secret@127.0.0.1:" + std::to_string(server.port()) + "/app";
        const auto started = std::chrono::steady_clock::now();
        const auto result = project.run({"--wait", "--wait-timeout", "3", "--url", url, "current"});
        const auto took = seconds_since(started);
        INFO(scheme << ": " << result.err);
        CHECK(result.exit_code == 2);
        CHECK(took <= std::chrono::seconds(6));
        const auto error = lines(result.err).back();
        CHECK(error.rfind("error: cannot connect to " + scheme + "://app:***@127.0.0.1:", 0) == 0);
        CHECK(error.find("(waited 3 s)") != std::string::npos);
        CHECK(error.find("secret") == std::string::npos);
    }
}

TEST_CASE("a PostgreSQL server that never answers times out after 10 s by default", "[e2e][connect]") {
    Project project;
    project.init();
    const SilentListener server;
    const auto url = "postgresql://app@127.0.0.1:" + std::to_string(server.port()) + "/app";
    const auto started = std::chrono::steady_clock::now();
    const auto result = project.run({"--url", url, "current"});
    const auto took = seconds_since(started);
    CHECK(result.exit_code == 2);
    CHECK(took >= std::chrono::seconds(9));
    CHECK(took <= std::chrono::seconds(20));
    CHECK(lines(result.err).back().find("did not answer within the connect timeout") != std::string::npos);
}

TEST_CASE("lock and wait timeouts take 0 to 2147483 seconds", "[e2e][connect]") {
    Project project;
    project.init();
    REQUIRE(project.run({"ensure_version"}).exit_code == 0);  // read commands never create the database
    for (const std::string flag : {"--lock-timeout", "--wait-timeout"}) {
        for (const std::string value : {"99999999999999999999", "2147484", "-1", "soon", ""}) {
            const auto result = project.run({flag, value, "current"});
            CHECK(result.exit_code == 64);
            CHECK(lines(result.err).back().rfind("error: " + flag, 0) == 0);
        }
        CHECK(lines(project.run({flag, "99999999999999999999", "current"}).err).back() ==
              "error: " + flag + " must be whole seconds from 0 to 2147483, not '99999999999999999999'");
        CHECK(project.run({flag, "2147483", "current"}).exit_code == 0);
    }
}

namespace {

// A login whose password has a space and a quote; libpq's key=value string needs them quoted.
void password_with_space_and_quote(Backend backend) {
    Project project(backend);
    project.init();
    std::random_device random;
    const std::string role = "migrator_pw_" + std::to_string(random() % 1000000);
    const std::string password = "a b'c";
    const std::string at = project.url().substr(project.url().find('@'));
    const std::string url = e2e::backend_name(backend) + "://" + role + ":a%20b%27c" + at;
    if (backend == Backend::Postgresql) {
        project.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'a b''c'");
    } else {
        project.execute("CREATE USER '" + role + "'@'%' IDENTIFIED BY 'a b\\'c'");
        const auto database = project.url().substr(project.url().rfind('/') + 1);
        project.execute("GRANT ALL PRIVILEGES ON `" + database + "`.* TO '" + role + "'@'%'");
    }
    const auto result = project.run({"--url", url, "current"});
    if (backend == Backend::Postgresql) {
        project.execute("DROP ROLE " + role);
    } else {
        project.execute("DROP USER '" + role + "'@'%'");
    }
    INFO(result.err);
    CHECK(result.exit_code == 0);
    CHECK(result.err.find(password) == std::string::npos);
}

const bool registered = e2e::register_backend_cases({
    e2e::make_server_case<password_with_space_and_quote>("a password with a space and a quote connects",
                                                         "[connect]"),
});

}  // namespace
