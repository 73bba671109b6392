#pragma once

// The budget overview's chart (issue: funds and the budget ledger): one
// stacked bar per year showing how the year's budget is used – paid out,
// committed but not paid, reserved, still available – drawn on the server as
// SVG, so it needs no JavaScript and prints.
//
// Accessibility (WCAG 2.1 AA): the SVG is role="img" with a <title> and a
// <desc> that sums the chart up in words; the budget table next to it is the
// full text alternative (the page links them). Every bar segment also has a
// <title>, which screen readers and mouse users can reach. The colours have
// at least 3:1 contrast against the white background and each other's
// neighbours are separated by a white gap (WCAG 1.4.11), and the legend
// names them.

#include "funds/ledger.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace spire::funds {

struct ChartText {
    // Translates a msgid ("Paid out", "Budget chart", ...).
    std::function<std::string(std::string_view)> translate;
    // Formats øre for people: "1 234 500 kr".
    std::function<std::string(Ore)> money;
    std::string id_prefix = "budget-chart"; // ids of <title> and <desc>
};

// The SVG element, ready to embed in a page (text HTML-escaped).
std::string budget_chart_svg(const BudgetSummary& summary, const ChartText& text);

} // namespace spire::funds
