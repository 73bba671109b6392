#pragma once

// The decision letter (issue 7 item 4): the HTML the applicant receives and
// the archive keeps, and its plain-text form for the e-mail. Pure: the
// service gathers the data and translates with `translate` (Norwegian in the
// server, since the letter is the municipality's document).
//
// The HTML is a fragment (an <article>) that the letter page wraps in the
// layout with its print stylesheet and the e-mail wraps in a minimal
// document. Every value is escaped here; the stored copy is exactly this
// text, and its SHA-256 is taken of it.

#include "decisions/model.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::decisions {

using Translate = std::function<std::string(std::string_view)>;

struct LetterAmount {
    int year = 0;
    std::string programme_name;
    Ore amount_ore = 0;
};

struct LetterData {
    std::string organisation_name; // "Bærum kommune"
    std::string fund_name;
    std::string reference; // the application's, also the case reference
    std::string date;      // "27.11.2026", Europe/Oslo
    std::string recipient_name;
    std::string unit_name;
    std::string application_title;
    std::string call_title;
    Outcome outcome = Outcome::Granted;
    std::vector<LetterAmount> amounts; // by year
    Ore requested_ore = 0;
    std::string conditions;
    std::string reasons;
    bool external_recipient = false; // appeal information (forvaltningsloven § 29)
    std::string decided_by_name;
};

Ore total_of(const LetterData& letter);
std::string letter_html(const LetterData& letter, const Translate& translate);
std::string letter_text(const LetterData& letter, const Translate& translate);

} // namespace spire::decisions
