#include "funds/budget_chart.hpp"

#include "web/templates.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

namespace spire::funds {

namespace {

constexpr int WIDTH = 720;
constexpr int HEIGHT = 360;
constexpr int LEFT = 110; // room for the axis labels
constexpr int RIGHT = 16;
constexpr int TOP = 16;
constexpr int BOTTOM = 90; // year labels and the legend
constexpr int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
constexpr int PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
constexpr int TICKS = 4;

struct Segment {
    const char* msgid;
    const char* colour; // contrast >= 3:1 on white
};

// Bottom to top.
constexpr std::array<Segment, 4> SEGMENTS = {{
    {"Paid out", "#1e3a5f"},
    {"Committed, not paid out", "#2f6fb0"},
    {"Reserved", "#8a5a00"},
    {"Available", "#2a7a3b"},
}};

std::array<Ore, 4> segment_values(const CellBalance& balance) {
    auto positive = [](Ore value) { return std::max<Ore>(0, value); };
    return {positive(balance.disbursed), positive(balance.unpaid()), positive(balance.reserved()),
            positive(balance.available())};
}

std::string escaped(const std::string& text) {
    return web::html_escape(text);
}

// A round step for the axis: 1, 2 or 5 times a power of ten, in øre.
Ore nice_step(Ore max_value) {
    double raw = static_cast<double>(std::max<Ore>(max_value, ORE_PER_KRONE)) / TICKS;
    double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 5.0, 10.0}) {
        if (factor * power >= raw)
            return static_cast<Ore>(factor * power);
    }
    return static_cast<Ore>(10 * power);
}

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

} // namespace

std::string budget_chart_svg(const BudgetSummary& summary, const ChartText& text) {
    const std::string title_id = text.id_prefix + "-title";
    const std::string desc_id = text.id_prefix + "-desc";
    Ore largest = 0;
    for (int year : summary.years) {
        auto values = segment_values(summary.year_total(year));
        Ore stacked = 0;
        for (Ore value : values)
            stacked += value;
        largest = std::max(largest, stacked);
    }
    const Ore step = nice_step(largest);
    const Ore axis_max = step * TICKS;
    auto y_of = [&](Ore value) {
        return TOP + PLOT_HEIGHT -
               static_cast<double>(value) / static_cast<double>(axis_max) * PLOT_HEIGHT;
    };

    std::string svg;
    svg += "<svg class=\"budget-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
           std::to_string(WIDTH) + " " + std::to_string(HEIGHT) +
           "\" role=\"img\" aria-labelledby=\"" + title_id + "\" aria-describedby=\"" + desc_id +
           "\" focusable=\"false\">";
    svg +=
        "<title id=\"" + title_id + "\">" + escaped(text.translate("Budget by year")) + "</title>";

    // The description: one sentence per year, in words.
    std::string description = text.translate(
        "Stacked bars, one per year, showing how each year's budget is used. The table below "
        "has the exact numbers.");
    for (int year : summary.years) {
        const CellBalance total = summary.year_total(year);
        description += " " + std::to_string(year) + ": " + text.translate("Budget") + " " +
                       text.money(total.budget()) + ", " + text.translate("Paid out") + " " +
                       text.money(total.disbursed) + ", " +
                       text.translate("Committed, not paid out") + " " +
                       text.money(total.unpaid()) + ", " + text.translate("Reserved") + " " +
                       text.money(total.reserved()) + ", " + text.translate("Available") + " " +
                       text.money(total.available()) + ".";
    }
    svg += "<desc id=\"" + desc_id + "\">" + escaped(description) + "</desc>";

    // Axis lines and labels.
    for (int tick = 0; tick <= TICKS; ++tick) {
        Ore value = step * tick;
        std::string y = number(y_of(value));
        svg += "<line x1=\"" + std::to_string(LEFT) + "\" x2=\"" +
               std::to_string(LEFT + PLOT_WIDTH) + "\" y1=\"" + y + "\" y2=\"" + y +
               "\" stroke=\"#767676\" stroke-width=\"" + (tick == 0 ? "1.5" : "0.5") + "\"/>";
        svg += "<text x=\"" + std::to_string(LEFT - 8) + "\" y=\"" + y +
               "\" text-anchor=\"end\" dominant-baseline=\"middle\" font-size=\"12\" "
               "fill=\"#1f1f1f\">" +
               escaped(text.money(value)) + "</text>";
    }

    // Bars.
    const std::size_t years = std::max<std::size_t>(1, summary.years.size());
    const double slot = static_cast<double>(PLOT_WIDTH) / static_cast<double>(years);
    const double bar = std::min(slot * 0.6, 90.0);
    for (std::size_t i = 0; i < summary.years.size(); ++i) {
        const int year = summary.years[i];
        const auto values = segment_values(summary.year_total(year));
        const double x = LEFT + slot * static_cast<double>(i) + (slot - bar) / 2;
        Ore below = 0;
        for (std::size_t s = 0; s < SEGMENTS.size(); ++s) {
            if (values[s] == 0)
                continue;
            double top = y_of(below + values[s]);
            double bottom = y_of(below);
            below += values[s];
            svg += "<rect x=\"" + number(x) + "\" y=\"" + number(top) + "\" width=\"" +
                   number(bar) + "\" height=\"" + number(std::max(0.0, bottom - top)) +
                   "\" fill=\"" + SEGMENTS[s].colour +
                   "\" stroke=\"#ffffff\" stroke-width=\"1\"><title>" +
                   escaped(std::to_string(year) + ", " + text.translate(SEGMENTS[s].msgid) + ": " +
                           text.money(values[s])) +
                   "</title></rect>";
        }
        svg += "<text x=\"" + number(x + bar / 2) + "\" y=\"" +
               std::to_string(TOP + PLOT_HEIGHT + 18) +
               "\" text-anchor=\"middle\" font-size=\"13\" fill=\"#1f1f1f\">" +
               std::to_string(year) + "</text>";
    }

    // Legend, in two rows of two.
    for (std::size_t s = 0; s < SEGMENTS.size(); ++s) {
        int x = LEFT + static_cast<int>(s % 2) * 260;
        int y = TOP + PLOT_HEIGHT + 40 + static_cast<int>(s / 2) * 22;
        svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y - 11) +
               "\" width=\"14\" height=\"14\" fill=\"" + SEGMENTS[s].colour + "\"/>";
        svg += "<text x=\"" + std::to_string(x + 20) + "\" y=\"" + std::to_string(y) +
               "\" font-size=\"13\" fill=\"#1f1f1f\">" +
               escaped(text.translate(SEGMENTS[s].msgid)) + "</text>";
    }
    svg += "</svg>";
    return svg;
}

} // namespace spire::funds
