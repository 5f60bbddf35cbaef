#include "backend_cases.hpp"

#include <catch2/catch.hpp>

#include <deque>
#include <string>

namespace e2e {

namespace {

// Catch keeps references to the names, so they live as long as the program.
std::deque<std::string>& names() {
    static std::deque<std::string> storage;
    return storage;
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
            auto* const flow = backend == Backend::Postgresql ? c.postgresql : c.mysql;
            if (flow != nullptr) register_case(flow, backend, c.name, c.tags);
        }
    }
    return true;
}

}  // namespace e2e
