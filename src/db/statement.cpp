#include "db/statement.hpp"

namespace spire::db {

void prepare(soci::statement& statement, const std::string& text) {
    statement.alloc();
    statement.prepare(text, soci::details::st_one_time_query);
    statement.define_and_bind();
}

void prepare_repeatable(soci::statement& statement, const std::string& text) {
    statement.alloc();
    statement.prepare(text, soci::details::st_repeatable_query);
    statement.define_and_bind();
}

} // namespace spire::db
