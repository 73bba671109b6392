#pragma once

// `spire audit verify`: checks the audit log's hash chain (DESIGN.md §7).

#include <ostream>

namespace spire::db {
class Database;
}

namespace spire::identity {

// Walks the whole chain in one read transaction. Prints
//   audit log OK: N entries
//   last entry: <id> <hash>            (only when N > 0)
// to `out` and returns 0; or prints "audit log BROKEN at entry <id>: <problem>"
// to `err` and returns 1. The last line is the anchor to keep elsewhere:
// removing entries from the end of the log leaves a valid, shorter chain,
// which only a comparison with an earlier anchor reveals. Returns 1 with a
// message on `err` also when the log cannot be read at all.
int run_audit_verify(db::Database& database, std::ostream& out, std::ostream& err);

} // namespace spire::identity
