#include "review/rank_plot.hpp"

#include "web/pages.hpp"
#include "web/templates.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace spire::review {

namespace {

constexpr int WIDTH = 720;
constexpr int LEFT = 150; // room for the references
constexpr int RIGHT = 20;
constexpr int TOP = 12;
constexpr int BOTTOM = 44; // tick labels and the axis label
constexpr int ROW_HEIGHT = 18;
constexpr int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
constexpr const char* INTERVAL_90 = "#5a6b7d"; // 5.4:1 on white
constexpr const char* INTERVAL_50 = "#1e3a5f"; // 11:1 on white
constexpr const char* EXPECTED = "#b3261e";    // 6.0:1 on white

// One decimal; std::to_chars, not snprintf: a 200-row plot has over a
// thousand numbers, and printf's formatting showed in the page's profile.
// Appended in place, like every piece of the SVG: building it from
// temporaries was half of the plot's time.
void append_number(std::string& out, double value) {
    char buffer[32];
    auto end =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 1).ptr;
    out.append(buffer, end);
}

std::string number(double value) {
    std::string text;
    append_number(text, value);
    return text;
}

std::string interval_text(const Interval<int>& interval) {
    return std::to_string(interval.lower) + "–" + std::to_string(interval.upper);
}

// x of a rank: rank 1 at the left edge, rank_count at the right.
double x_of(double rank, int rank_count) {
    if (rank_count <= 1)
        return LEFT + PLOT_WIDTH / 2.0;
    return LEFT + (rank - 1) / (rank_count - 1) * PLOT_WIDTH;
}

// Ticks at 1 and at round steps up to rank_count.
std::vector<int> ticks(int rank_count) {
    std::vector<int> result{1};
    int step = 1;
    for (int candidate : {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000}) {
        step = candidate;
        if (rank_count / candidate <= 8)
            break;
    }
    for (int tick = step; tick <= rank_count; tick += step)
        if (tick != 1)
            result.push_back(tick);
    if (result.back() != rank_count && rank_count > 1)
        result.push_back(rank_count);
    return result;
}

void append_line(std::string& out, double x1, double y1, double x2, double y2, const char* colour,
                 int width) {
    out += "<line x1=\"";
    append_number(out, x1);
    out += "\" y1=\"";
    append_number(out, y1);
    out += "\" x2=\"";
    append_number(out, x2);
    out += "\" y2=\"";
    append_number(out, y2);
    out += "\" stroke=\"";
    out += colour;
    out += "\" stroke-width=\"";
    out += std::to_string(width);
    out += "\"/>";
}

} // namespace

std::string rank_plot_svg(const std::vector<PlotRow>& rows, int rank_count, const PlotText& text) {
    rank_count = std::max(rank_count, 1);
    const int height = TOP + static_cast<int>(rows.size()) * ROW_HEIGHT + BOTTOM;
    const std::string title_id = text.id_prefix + "-title";
    const std::string desc_id = text.id_prefix + "-desc";
    std::string svg =
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rank-plot\" viewBox=\"0 0 " +
        std::to_string(WIDTH) + " " + std::to_string(height) +
        "\" role=\"img\" aria-labelledby=\"" + title_id + "\" aria-describedby=\"" + desc_id +
        "\">";
    svg.reserve(1024 + rows.size() * 480);
    svg += "<title id=\"" + title_id + "\">" + web::html_escape(text.title) + "</title>";
    svg += "<desc id=\"" + desc_id + "\">" + web::html_escape(text.description) + "</desc>";

    const double axis_y = TOP + static_cast<double>(rows.size()) * ROW_HEIGHT + 4;
    for (int tick : ticks(rank_count)) {
        const double x = x_of(tick, rank_count);
        append_line(svg, x, TOP, x, axis_y, "#d0d5dd", 1);
        svg += "<text x=\"" + number(x) + "\" y=\"" + number(axis_y + 16) +
               "\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1e2b3c\">" +
               std::to_string(tick) + "</text>";
    }
    append_line(svg, LEFT, axis_y, LEFT + PLOT_WIDTH, axis_y, "#1e2b3c", 1);
    svg += "<text x=\"" + number(LEFT + PLOT_WIDTH / 2.0) + "\" y=\"" + number(axis_y + 36) +
           "\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1e2b3c\">" +
           web::html_escape(text.axis_label) + "</text>";

    for (std::size_t i = 0; i < rows.size(); ++i) {
        const PlotRow& row = rows[i];
        const double y = TOP + (static_cast<double>(i) + 0.5) * ROW_HEIGHT;
        std::string row_title = web::fill(text.row_title, {{"label", row.label},
                                                           {"rank", number(row.expected_rank)},
                                                           {"r50", interval_text(row.rank_50)},
                                                           {"r90", interval_text(row.rank_90)}});
        svg += "<g><title>";
        svg += web::html_escape(row_title);
        svg += "</title><text x=\"";
        svg += std::to_string(LEFT - 8);
        svg += "\" y=\"";
        append_number(svg, y + 4);
        svg += "\" text-anchor=\"end\" font-size=\"12\" fill=\"#1e2b3c\">";
        svg += web::html_escape(row.label);
        svg += "</text>";
        append_line(svg, x_of(row.rank_90.lower, rank_count), y,
                    x_of(row.rank_90.upper, rank_count), y, INTERVAL_90, 2);
        // A 50 % interval of one rank is still drawn as a visible bar.
        double x50_low = x_of(row.rank_50.lower, rank_count);
        double x50_high = std::max(x_of(row.rank_50.upper, rank_count), x50_low + 3);
        append_line(svg, x50_low, y, x50_high, y, INTERVAL_50, 8);
        svg += "<circle cx=\"";
        append_number(svg, x_of(row.expected_rank, rank_count));
        svg += "\" cy=\"";
        append_number(svg, y);
        svg += "\" r=\"4\" fill=\"";
        svg += EXPECTED;
        svg += "\" stroke=\"#ffffff\"/>";
        svg += "</g>";
    }
    svg += "</svg>";
    return svg;
}

} // namespace spire::review
