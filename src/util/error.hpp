#pragma once
// The one exception type: parsers and file IO return Expected, everything else throws Error (or a
// subclass carrying fields a caller acts on, such as db::DatabaseError); cli/app catches it once and
// prints "error: ..."; it is the public exception type too (migrator/error.hpp). See docs/architecture.md
// (Conventions).

#include "migrator/error.hpp"
