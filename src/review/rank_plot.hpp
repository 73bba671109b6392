#pragma once

// The ranking page's rank plot (issue 6 §5): one row per application, best
// first, showing its 90 % credible interval of the rank as a thin line, the
// 50 % interval as a thick bar on it and the expected rank as a dot – the
// picture the SNSF uses to show which applications are clearly ahead and
// which cannot be told apart. Drawn on the server as SVG: no JavaScript.
//
// Accessibility (WCAG 2.1 AA): the SVG is role="img" with a <title> and a
// <desc> that sums it up in words; the ranking table on the same page holds
// every number of the plot and is its full text alternative (the <desc> says
// so). Every row also has a <title> with its numbers, reachable by mouse and
// screen reader. Colours have at least 3:1 contrast against white
// (WCAG 1.4.11) and the two intervals differ in thickness, not only colour.
// No inline style (the CSP forbids it): presentation attributes only.

#include "review/ranking.hpp"

#include <string>
#include <vector>

namespace spire::review {

struct PlotRow {
    std::string label; // the application's reference
    double expected_rank = 0;
    Interval<int> rank_50;
    Interval<int> rank_90;
};

struct PlotText {
    std::string title;       // "Rank plot"
    std::string description; // the words of <desc>
    std::string axis_label;  // "Rank (1 = best)"
    std::string row_title;   // "{label}: expected rank {rank}, 50 %: {r50}, 90 %: {r90}"
    std::string id_prefix = "rank-plot";
};

// The SVG element for rows in display order; `rank_count` is the number of
// ranks (the axis runs 1..rank_count). Text is HTML-escaped.
std::string rank_plot_svg(const std::vector<PlotRow>& rows, int rank_count, const PlotText& text);

} // namespace spire::review
