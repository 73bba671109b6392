// GET /funds/{id}/ledger.csv and /funds/{id}/ledger.xlsx: the ledger page's
// filters, every matching entry (oldest first), as a download.

#include "funds/api_routes.hpp"
#include "funds/export.hpp"
#include "funds/forms.hpp"
#include "identity/web.hpp"
#include "web/pages.hpp"

namespace spire::funds {

namespace {

using identity::actor_of;
using web::text_param;

enum class Format { Csv, Xlsx };

// The filters as the ledger page reads them; page and per_page are checked
// (a link from the page may carry them) but an export has no pages.
Result<LedgerFilter> export_filter(const http::Request& request) {
    return parse_ledger_filter(
        LedgerFilterForm{text_param(request, "year"), text_param(request, "programme_id"),
                         text_param(request, "kind"), text_param(request, "reference_type"),
                         text_param(request, "reference_id"), text_param(request, "page"),
                         text_param(request, "per_page")});
}

// "ledger-fund-3.csv", "ledger-fund-3-2018.xlsx": ASCII only, so that no
// browser needs RFC 6266's filename* to save it.
std::string file_name(Id fund_id, const LedgerFilter& filter, Format format) {
    std::string name = "ledger-fund-" + std::to_string(fund_id);
    if (filter.year)
        name += "-" + std::to_string(*filter.year);
    return name + (format == Format::Csv ? ".csv" : ".xlsx");
}

http::Response download(std::string body, std::string_view content_type, const std::string& name) {
    http::Response response;
    response.headers.set("Content-Type", std::string(content_type));
    // DESIGN.md §7: downloads as attachments, never rendered in our origin.
    // X-Content-Type-Options: nosniff comes from http::security_headers().
    response.headers.set("Content-Disposition", "attachment; filename=\"" + name + "\"");
    response.headers.set("Cache-Control", "no-store");
    response.body = std::move(body);
    return response;
}

http::Response export_ledger(FundsService& service, const std::shared_ptr<const web::View>& view,
                             http::Request& request, Format format) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    auto fund_id = request.param_int("id");
    if (!fund_id)
        return web::refuse(request, Error::not_found());
    auto filter = export_filter(request);
    if (!filter) {
        // No form to show the fields on: the error page explains the first.
        const auto& fields = filter.error().fields;
        return web::refuse(request, Error::invalid(fields.empty() ? filter.error().message
                                                                  : fields.front().message));
    }
    const Actor actor = actor_of(request);
    // Programme names first (ViewFund); export_ledger() then decides whether
    // this user may read the ledger itself.
    auto detail = service.fund(actor, *fund_id);
    if (!detail)
        return web::refuse(request, detail.error());
    LedgerExportContext context;
    for (const auto& programme : detail->programmes)
        context.programme_names.emplace(programme.id, programme.name);
    if (view)
        context.translate = [&view, &request](std::string_view msgid) {
            return view->translate(request, msgid);
        };

    std::string name = file_name(*fund_id, *filter, format);
    if (format == Format::Csv) {
        LedgerCsv csv(context);
        auto done = service.export_ledger(actor, *fund_id, *filter,
                                          [&](const LedgerEntry& entry) { csv.add(entry); });
        if (!done)
            return web::refuse(request, done.error());
        return download(csv.take(), CSV_CONTENT_TYPE, name);
    }
    LedgerXlsx xlsx(context);
    auto done = service.export_ledger(actor, *fund_id, *filter,
                                      [&](const LedgerEntry& entry) { xlsx.add(entry); });
    if (!done)
        return web::refuse(request, done.error());
    auto bytes = xlsx.finish();
    if (!bytes)
        return web::refuse(request, bytes.error());
    return download(std::move(*bytes), XLSX_CONTENT_TYPE, name);
}

} // namespace

void register_funds_export_routes(http::Router& router, FundsApiDeps deps) {
    auto service = deps.service;
    auto view = deps.view;
    router.get("/funds/{id:int}/ledger.csv", [service, view](http::Request& request) {
        return export_ledger(*service, view, request, Format::Csv);
    });
    router.get("/funds/{id:int}/ledger.xlsx", [service, view](http::Request& request) {
        return export_ledger(*service, view, request, Format::Xlsx);
    });
}

} // namespace spire::funds
