#include "backend_cases.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <utility>

namespace e2e {

namespace {

// Catch keeps references to the names, so they live as long as the program.
std::deque<std::string>& names() {
    static std::deque<std::string> storage;
    return storage;
}

// Runs a MariaDB flow with the first Galera node as its server: MIGRATOR_TEST_MYSQL_URL names that node
// for the call, and the plain server again after it, whether the flow passed or not.
class OnGaleraNode : public Catch::ITestInvoker {
public:
    OnGaleraNode(void (*flow)(), std::string node_url) : flow_(flow), node_url_(std::move(node_url)) {}

    void invoke() const override {
        const char* server = std::getenv("MIGRATOR_TEST_MYSQL_URL");
        const std::string saved = server == nullptr ? "" : server;
        ::setenv("MIGRATOR_TEST_MYSQL_URL", node_url_.c_str(), 1);
        struct Restore {
            const std::string& url;
            ~Restore() { ::setenv("MIGRATOR_TEST_MYSQL_URL", url.c_str(), 1); }
        } restore{saved};
        flow_();
    }

private:
    void (*flow_)();
    std::string node_url_;
};

// Catch owns its invokers, so that they live as long as the program.
void register_on_galera_node(void (*flow)(), const std::string& node_url, const char* name,
                             const char* tags) {
    auto& stored_name = names().emplace_back(std::string("[mysql on a galera node] ") + name);
    auto& stored_tags = names().emplace_back(std::string("[e2e][backends]") + tags + "[galera-node]");
    Catch::AutoReg(new OnGaleraNode(flow, node_url), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                   Catch::NameAndTags{stored_name.c_str(), stored_tags.c_str()});
}

}  // namespace

void register_case(void (*function)(), Backend backend, const char* name, const char* tags) {
    auto& stored_name = names().emplace_back("[" + backend_name(backend) + "] " + name);
    auto& stored_tags =
        names().emplace_back(std::string("[e2e][backends]") + tags + "[" + backend_name(backend) + "]");
    Catch::AutoReg(Catch::makeTestInvoker(function), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                   Catch::NameAndTags{stored_name.c_str(), stored_tags.c_str()});
}

bool register_backend_cases(std::initializer_list<BackendCase> cases) {
    for (const auto& c : cases) {
        if (c.sqlite != nullptr) register_case(c.sqlite, Backend::Sqlite, c.name, c.tags);
    }
    for (const Backend backend : {Backend::Postgresql, Backend::Mysql}) {
        if (!server_url(backend)) continue;
        for (const auto& c : cases) {
            auto* function = backend == Backend::Postgresql ? c.postgresql : c.mysql;
            if (function != nullptr) register_case(function, backend, c.name, c.tags);
        }
    }
    // Every MariaDB flow again on a Galera cluster's node, but the corpus of real schemas: it compares schema
    // dumps, which a cluster does not change, and is the slowest.
    const auto nodes = galera_urls();
    if (!nodes.empty()) {
        for (const auto& c : cases) {
            if (c.mysql != nullptr && std::strstr(c.tags, "[corpus]") == nullptr)
                register_on_galera_node(c.mysql, nodes.front(), c.name, c.tags);
        }
    }
    return true;
}

}  // namespace e2e
