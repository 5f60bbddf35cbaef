#pragma once
// Registering one flow as a Catch case per backend: always on SQLite, and on PostgreSQL / MariaDB when
// MIGRATOR_TEST_POSTGRESQL_URL / MIGRATOR_TEST_MYSQL_URL name a server (scripts/db-servers.sh).

#include <initializer_list>

#include "e2e_support.hpp"

namespace e2e {

/// One flow bound to each backend; a null entry is not registered.
struct BackendCase {
    const char* name;
    const char* tags;
    void (*sqlite)();
    void (*postgresql)();
    void (*mysql)();
};

/// Runs `Flow` on backend `B`: the shape Catch can register.
template <Backend B, void (*Flow)(Backend)>
void on_backend() {
    Flow(B);
}

/// A flow for all three backends.
template <void (*Flow)(Backend)>
BackendCase make_case(const char* name, const char* tags) {
    return {name, tags, &on_backend<Backend::Sqlite, Flow>, &on_backend<Backend::Postgresql, Flow>,
            &on_backend<Backend::Mysql, Flow>};
}

/// A flow that only means something with a server: passwords, hosts, ports.
template <void (*Flow)(Backend)>
BackendCase make_server_case(const char* name, const char* tags) {
    return {name, tags, nullptr, &on_backend<Backend::Postgresql, Flow>, &on_backend<Backend::Mysql, Flow>};
}

/// Registers `function` as "[backend] name" with tags "[e2e][backends]<tags>[backend]".
void register_case(void (*function)(), Backend backend, const char* name, const char* tags);

/// Registers each case on SQLite and on every server whose URL is set; returns true.
bool register_backend_cases(std::initializer_list<BackendCase> cases);

}  // namespace e2e
