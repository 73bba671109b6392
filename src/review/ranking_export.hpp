#pragma once

// The ranking as a file (issue 6 §5): CSV and XLSX with the page's columns,
// best first: expected rank, reference, title, unit, reviews, raw mean,
// lowest and highest raw score, disagreement, threshold failures, calibrated
// quality, 50 % and 90 % rank intervals. The CSV follows funds/export.hpp
// (";" separators, byte order mark, CRLF, formula-injection guard, decimal
// comma); the XLSX has a bold frozen header, an autofilter and numbers as
// numbers. Rows the user may not see are not given to these writers.

#include "review/ranking_service.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace spire::review {

// msgid -> text in the user's language; empty: English.
using ExportTranslate = std::function<std::string(std::string_view)>;

std::string ranking_csv(const CallRanking& ranking, const ExportTranslate& translate);
std::string ranking_xlsx(const CallRanking& ranking, const ExportTranslate& translate);

} // namespace spire::review
