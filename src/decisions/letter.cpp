#include "decisions/letter.hpp"

#include "web/format.hpp"
#include "web/pages.hpp"
#include "web/templates.hpp"

namespace spire::decisions {

namespace {

using web::fill;
using web::format_money;
using web::html_escape;

std::string paragraph(const std::string& text) {
    // Line breaks typed into reasons and conditions are kept as paragraphs.
    std::string html = "<p>";
    for (char c : text) {
        if (c == '\n')
            html += "<br>";
        else if (c != '\r')
            html += c;
    }
    return html + "</p>";
}

std::string escaped_paragraph(const std::string& text) {
    return paragraph(html_escape(text));
}

std::string outcome_sentence(const LetterData& letter, const Translate& tr) {
    const std::string total = format_money(total_of(letter));
    switch (letter.outcome) {
    case Outcome::Granted:
        return fill(tr("The application is granted {amount}."), {{"amount", total}});
    case Outcome::PartlyGranted:
        return fill(
            tr("The application is partly granted: {amount} of the {requested} applied for."),
            {{"amount", total}, {"requested", format_money(letter.requested_ore)}});
    case Outcome::Rejected:
        return tr("The application is rejected.");
    case Outcome::Conditional:
        return fill(tr("The application is granted {amount} on the condition that the external "
                       "funder grants the project. Until then the amount is reserved."),
                    {{"amount", total}});
    }
    return {};
}

std::string appeal_text(const LetterData& letter, const Translate& tr) {
    return fill(tr("You may appeal this decision. The deadline for appeal is {weeks} weeks from "
                   "the day you received this letter (forvaltningsloven § 29). Send the appeal "
                   "to {organisation}, state the decision you appeal against (reference "
                   "{reference}), the change you want and your reasons. You have the right to "
                   "see the documents of the case (forvaltningsloven §§ 18 and 19)."),
                {{"weeks", std::to_string(APPEAL_WEEKS)},
                 {"organisation", letter.organisation_name},
                 {"reference", letter.reference}});
}

} // namespace

Ore total_of(const LetterData& letter) {
    Ore sum = 0;
    for (const auto& amount : letter.amounts)
        sum += amount.amount_ore;
    return sum;
}

std::string letter_html(const LetterData& letter, const Translate& tr) {
    auto esc = [](const std::string& text) { return html_escape(text); };
    std::string html;
    html += "<article class=\"decision-letter\" lang=\"nb\">\n";
    html += "<header class=\"decision-letter__head\">\n";
    html += "<p class=\"decision-letter__sender\">" + esc(letter.organisation_name) + "<br>" +
            esc(letter.fund_name) + "</p>\n";
    html += "<dl class=\"decision-letter__meta\">\n";
    html += "<dt>" + esc(tr("Our reference")) + "</dt><dd>" + esc(letter.reference) + "</dd>\n";
    html += "<dt>" + esc(tr("Date")) + "</dt><dd>" + esc(letter.date) + "</dd>\n";
    html += "<dt>" + esc(tr("To")) + "</dt><dd>" + esc(letter.recipient_name);
    if (!letter.unit_name.empty())
        html += ", " + esc(letter.unit_name);
    html += "</dd>\n</dl>\n</header>\n";

    html +=
        "<h2>" +
        esc(fill(tr("Decision on application {reference}"), {{"reference", letter.reference}})) +
        "</h2>\n";
    html += "<p>" +
            esc(fill(tr("Application “{title}” to the call “{call}”."),
                     {{"title", letter.application_title}, {"call", letter.call_title}})) +
            "</p>\n";
    html += "<p class=\"decision-letter__outcome\"><strong>" + esc(outcome_sentence(letter, tr)) +
            "</strong></p>\n";

    if (!letter.amounts.empty()) {
        html += "<table class=\"decision-letter__amounts\">\n<caption>" +
                esc(tr("Amount per year")) + "</caption>\n<thead><tr><th scope=\"col\">" +
                esc(tr("Year")) + "</th><th scope=\"col\">" + esc(tr("Programme")) +
                "</th><th scope=\"col\" class=\"number\">" + esc(tr("Amount")) +
                "</th></tr></thead>\n<tbody>\n";
        for (const auto& amount : letter.amounts)
            html += "<tr><td>" + std::to_string(amount.year) + "</td><td>" +
                    esc(amount.programme_name) + "</td><td class=\"number\">" +
                    esc(format_money(amount.amount_ore)) + "</td></tr>\n";
        html += "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"2\">" + esc(tr("Total")) +
                "</th><td class=\"number\">" + esc(format_money(total_of(letter))) +
                "</td></tr></tfoot>\n</table>\n";
    }
    if (!letter.conditions.empty())
        html += "<h3>" + esc(tr("Conditions")) + "</h3>\n" + escaped_paragraph(letter.conditions) +
                "\n";
    if (!letter.reasons.empty())
        html += "<h3>" + esc(tr("Reasons")) + "</h3>\n" + escaped_paragraph(letter.reasons) + "\n";
    if (letter.external_recipient) {
        html += "<h3>" + esc(tr("Right of appeal")) + "</h3>\n<p>" + esc(appeal_text(letter, tr)) +
                "</p>\n";
    }
    html += "<footer class=\"decision-letter__signature\"><p>" + esc(tr("Yours sincerely")) +
            "<br>" + esc(letter.decided_by_name) + "<br>" + esc(letter.organisation_name) +
            "</p></footer>\n";
    html += "</article>\n";
    return html;
}

std::string letter_text(const LetterData& letter, const Translate& tr) {
    std::string text;
    text += letter.organisation_name + " – " + letter.fund_name + "\n";
    text += tr("Our reference") + ": " + letter.reference + "\n";
    text += tr("Date") + ": " + letter.date + "\n\n";
    text +=
        fill(tr("Decision on application {reference}"), {{"reference", letter.reference}}) + "\n\n";
    text += fill(tr("Application “{title}” to the call “{call}”."),
                 {{"title", letter.application_title}, {"call", letter.call_title}}) +
            "\n\n";
    text += outcome_sentence(letter, tr) + "\n";
    if (!letter.amounts.empty()) {
        text += "\n" + tr("Amount per year") + ":\n";
        for (const auto& amount : letter.amounts)
            text += "  " + std::to_string(amount.year) + " " + amount.programme_name + ": " +
                    format_money(amount.amount_ore) + "\n";
    }
    if (!letter.conditions.empty())
        text += "\n" + tr("Conditions") + ":\n" + letter.conditions + "\n";
    if (!letter.reasons.empty())
        text += "\n" + tr("Reasons") + ":\n" + letter.reasons + "\n";
    if (letter.external_recipient)
        text += "\n" + tr("Right of appeal") + ":\n" + appeal_text(letter, tr) + "\n";
    text += "\n" + tr("Yours sincerely") + "\n" + letter.decided_by_name + "\n" +
            letter.organisation_name + "\n";
    return text;
}

} // namespace spire::decisions
