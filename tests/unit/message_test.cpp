#include "http/message.hpp"

#include <gtest/gtest.h>

using namespace spire::http;

TEST(Headers, NamesAreCaseInsensitive) {
    Headers headers;
    headers.add("Content-Type", "text/html");
    EXPECT_EQ(headers.get("content-type").value_or(""), "text/html");
    headers.set("CONTENT-TYPE", "text/plain");
    EXPECT_EQ(headers.all().size(), 1u);
    EXPECT_EQ(headers.get("Content-Type").value_or(""), "text/plain");
}

TEST(RequestCookie, FindsNamedCookieAmongSeveral) {
    Request request;
    request.headers.add("Cookie", "a=1; spire_lang=en;  b=\"quoted\"");
    EXPECT_EQ(request.cookie("spire_lang").value_or(""), "en");
    EXPECT_EQ(request.cookie("b").value_or(""), "quoted");
    EXPECT_FALSE(request.cookie("missing"));
    EXPECT_FALSE(request.cookie("spire"));
}

TEST(RequestCookie, IgnoresMalformedPairs) {
    Request request;
    request.headers.add("Cookie", "garbage; ;=x; ok=yes");
    EXPECT_EQ(request.cookie("ok").value_or(""), "yes");
}

TEST(RequestQuery, DecodesPercentAndPlus) {
    Request request;
    request.query = "q=tidlig+innsats&next=%2Fcalls%2F7&flag";
    EXPECT_EQ(request.query_param("q").value_or(""), "tidlig innsats");
    EXPECT_EQ(request.query_param("next").value_or(""), "/calls/7");
    EXPECT_EQ(request.query_param("flag").value_or("absent"), "");
    EXPECT_FALSE(request.query_param("missing"));
}

TEST(RequestQuery, MalformedQueryYieldsNothing) {
    Request request;
    request.query = "q=%zz";
    EXPECT_FALSE(request.query_param("q"));
}

TEST(RequestParam, IntParameterRejectsOverflow) {
    Request request;
    request.params.push_back({"id", "9223372036854775807"});
    request.params.push_back({"big", "9223372036854775808"});
    EXPECT_EQ(*request.param_int("id"), 9223372036854775807LL);
    EXPECT_FALSE(request.param_int("big"));
}

TEST(Method, ParsesKnownNamesOnly) {
    EXPECT_EQ(parse_method("GET"), Method::Get);
    EXPECT_EQ(parse_method("get"), Method::Other);
    EXPECT_EQ(parse_method("BREW"), Method::Other);
}
