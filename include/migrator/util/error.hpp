#pragma once
// The exception used above the low layers; main catches it once and prints "error: ...". It is the one
// public exception type too (migrator/error.hpp).

#include "migrator/error.hpp"
