#include "funds/budget_chart.hpp"

#include <gtest/gtest.h>
#include <string>

using namespace spire::funds;

namespace {

ChartText plain_text() {
    return ChartText{[](std::string_view msgid) { return std::string(msgid); },
                     [](spire::Ore ore) { return std::to_string(ore / 100) + " kr"; }, "chart"};
}

BudgetSummary summary_with(const std::string& programme_name, Balances balances) {
    Fund fund;
    fund.id = 1;
    fund.first_year = 2017;
    fund.last_year = 2018;
    Programme programme;
    programme.id = 7;
    programme.name = programme_name;
    return make_summary(fund, {programme}, std::move(balances));
}

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

} // namespace

TEST(BudgetChart, IsANamedDescribedImageWithOneSegmentPerNonZeroUse) {
    Balances balances;
    CellBalance cell;
    cell.add(EntryKind::Frame, std::nullopt, 1'000'000);
    cell.add(EntryKind::Commit, std::nullopt, 400'000);
    cell.add(EntryKind::Disburse, std::nullopt, 100'000);
    balances[{2017, 7}] = cell;
    std::string svg = budget_chart_svg(summary_with("Risikokapital", balances), plain_text());

    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
    EXPECT_NE(svg.find("aria-labelledby=\"chart-title\""), std::string::npos);
    EXPECT_NE(svg.find("<title id=\"chart-title\">Budget by year</title>"), std::string::npos);
    // The description says it in words, per year.
    EXPECT_NE(svg.find("2017: Budget 10000 kr, Paid out 1000 kr, Committed, not paid out 3000 kr, "
                       "Reserved 0 kr, Available 6000 kr."),
              std::string::npos);
    // 2017: paid out, unpaid, available (reserved is zero); 2018: nothing.
    EXPECT_EQ(count(svg, "<rect x=\"") - 4, 3u) << "three bar segments besides four legend keys";
    EXPECT_EQ(svg.find("height=\"-"), std::string::npos);
}

TEST(BudgetChart, EscapesTextAndDrawsNoNegativeBarsWhenOverdrawn) {
    Balances balances;
    CellBalance cell;
    cell.add(EntryKind::Frame, std::nullopt, 100);
    cell.add(EntryKind::Commit, std::nullopt, 500);
    balances[{2018, 7}] = cell;
    ChartText text = plain_text();
    text.translate = [](std::string_view msgid) {
        return msgid == "Available" ? std::string("<Tilgjengelig & \"ledig\">")
                                    : std::string(msgid);
    };
    std::string svg = budget_chart_svg(summary_with("R&D", balances), text);
    EXPECT_EQ(svg.find("<Tilgjengelig"), std::string::npos);
    EXPECT_NE(svg.find("&lt;Tilgjengelig &amp; &quot;ledig&quot;&gt;"), std::string::npos);
    EXPECT_EQ(svg.find("height=\"-"), std::string::npos);
    EXPECT_NE(svg.find("&lt;Tilgjengelig &amp; &quot;ledig&quot;&gt; -4 kr."), std::string::npos)
        << "an overdrawn year still says so in words";
}
