#include "migrator/db/connect.hpp"

#include <fmt/format.h>

#include "drivers.hpp"
#include "migrator/util/error.hpp"

namespace migrator::db {

std::unique_ptr<Connection> connect(const config::DatabaseUrl& url) {
    switch (url.dialect) {
        case dialect::DialectKind::Sqlite:
            return connect_sqlite(url);
        case dialect::DialectKind::Postgresql:
            return connect_postgresql(url);
        case dialect::DialectKind::Mysql:
            return connect_mysql(url);
    }
    throw Error(fmt::format("cannot connect to {}: unknown dialect", url.redacted()));
}

}  // namespace migrator::db
