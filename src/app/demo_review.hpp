#pragma once

// The review part of `spire demo` (issue 6): a closed round of Bærum's
// internal risk capital (autumn 2017) with 27 submitted applications, five
// reviewers in its pool, three reviews per application, a few declared
// conflicts of interest and nearly every review submitted. Two of
// reviewer1's assignments are left open (undeclared) so that a reviewer
// has work waiting when the demo starts. The round gets one saved
// allocation scenario (issue 7), its lottery not yet drawn.

#include "app/demo.hpp"
#include "app/demo_funds.hpp"
#include "core/error.hpp"
#include "identity/model.hpp"

#include <memory>

namespace spire::db {
class Database;
}

namespace spire::app {

struct DemoReview {
    identity::Id call = 0;
    int applications = 0;
    int submitted_reviews = 0;
    int open_reviews = 0;
    int conflicts = 0;
    identity::Id scenario = 0; // the saved allocation scenario
};

// Runs after create_demo_calls(), as the system and the demo fund manager.
Result<DemoReview> create_demo_review(std::shared_ptr<db::Database> database,
                                      const DemoFunds& funds, const DemoIdentity& made);

} // namespace spire::app
