#include "identity/audit_cli.hpp"

#include "db/database.hpp"
#include "identity/audit_service.hpp"

#include <exception>

namespace spire::identity {

int run_audit_verify(db::Database& database, std::ostream& out, std::ostream& err) {
    AuditVerification verification;
    try {
        verification = database.read(
            [&](soci::session& session) { return verify_audit_chain(session, database.engine()); });
    } catch (const std::exception& e) {
        err << "cannot verify the audit log: " << e.what() << "\n";
        return 1;
    }

    if (!verification.ok) {
        err << "audit log BROKEN at entry " << verification.first_bad_id.value_or(0) << ": "
            << verification.problem << "\n";
        return 1;
    }
    out << "audit log OK: " << verification.checked << " entries\n";
    if (verification.last_id)
        out << "last entry: " << *verification.last_id << " " << verification.last_hash << "\n";
    return 0;
}

} // namespace spire::identity
