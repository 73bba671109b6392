#include "web/frame.hpp"
#include "web/templates.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <string_view>

using spire::web::Frame;
namespace mustache = spire::web::mustache;

namespace {

// Renders source with kainjow twice: once with the real values, once with
// markers that are then filled in. Both must give the same bytes.
void expect_same_as_direct_render(const std::string& source,
                                  const std::array<std::string, 3>& values) {
    mustache::mustache direct(source);
    direct.set_custom_escape([](const std::string& s) { return spire::web::html_escape(s); });
    mustache::data real;
    real.set("a", values[0]);
    real.set("b", values[1]);
    real.set("c", values[2]);
    std::string expected = direct.render(real);

    mustache::mustache with_markers(source);
    with_markers.set_custom_escape([](const std::string& s) { return spire::web::html_escape(s); });
    mustache::data markers;
    markers.set("a", Frame::marker(0));
    markers.set("b", Frame::marker(1));
    markers.set("c", Frame::marker(2));
    Frame frame = Frame::split(with_markers.render(markers));
    std::array<std::string_view, 3> views{values[0], values[1], values[2]};
    EXPECT_EQ(frame.fill(views), expected) << source;
}

} // namespace

TEST(Frame, FillsSlotsExactlyAsMustacheWouldRender) {
    std::array<std::string, 3> tricky{"<b>\"Kari\" & 'Ola'</b>", "æøå", ""};
    expect_same_as_direct_render("<p title=\"{{a}}\">{{b}}</p>{{{a}}}", tricky);
    expect_same_as_direct_render("{{a}}{{a}}{{{a}}}\n{{c}}\nend", tricky);
    expect_same_as_direct_render("no slots at all", tricky);
    expect_same_as_direct_render("{{a}}", {"&amp; already", "x", "y"});
}

TEST(Frame, RawSlotKeepsMarkupAndEscapedSlotDoesNot) {
    Frame frame = Frame::split("<main>" + Frame::marker(0) + "</main><h1>" +
                               spire::web::html_escape(Frame::marker(1)) + "</h1>");
    std::array<std::string_view, 2> values{"<p>content</p>", "<script>"};
    EXPECT_EQ(frame.fill(values), "<main><p>content</p></main><h1>&lt;script&gt;</h1>");
}

TEST(Frame, MissingValueForAShownSlotIsAnError) {
    Frame frame = Frame::split("x" + Frame::marker(2));
    std::array<std::string_view, 1> values{"only one"};
    EXPECT_THROW(frame.fill(values), std::out_of_range);
}

TEST(Frame, MalformedMarkersAreRefused) {
    EXPECT_THROW(Frame::split("a\x1e"
                              "0b"),
                 std::invalid_argument);
    EXPECT_THROW(Frame::split("a\x1e"
                              "0#\x1f"),
                 std::invalid_argument);
    EXPECT_THROW(Frame::marker(64), std::invalid_argument);
}
