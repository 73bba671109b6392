// GET /applications/export.csv and /applications/export.xlsx: the staff
// list's filters and sort, every matching application, as a download.

#include "applications/forms.hpp"
#include "applications/routes.hpp"
#include "funds/export.hpp"
#include "identity/web.hpp"
#include "web/pages.hpp"

namespace spire::applications {

namespace {

using identity::actor_of;
using web::text_param;

http::Response export_list(ApplicationsService& service,
                           const std::shared_ptr<const web::View>& view, http::Request& request,
                           ExportFormat format) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    auto filter = parse_list_filter(ListFilterForm{
        text_param(request, "call"), text_param(request, "programme"), text_param(request, "fund"),
        text_param(request, "status"), text_param(request, "unit"), text_param(request, "theme"),
        text_param(request, "q"), text_param(request, "sort"), text_param(request, "dir"), ""});
    if (!filter) {
        // No form to show the fields on: the error page explains the first.
        const auto& fields = filter.error().fields;
        return web::refuse(request, Error::invalid(fields.empty() ? filter.error().message
                                                                  : fields.front().message));
    }
    std::function<std::string(std::string_view)> translate;
    if (view)
        translate = [&view, &request](std::string_view msgid) {
            return view->translate(request, msgid);
        };
    auto bytes = service.export_list(actor_of(request), *filter, format, translate);
    if (!bytes)
        return web::refuse(request, bytes.error());
    http::Response response;
    const bool csv = format == ExportFormat::Csv;
    response.headers.set("Content-Type",
                         std::string(csv ? funds::CSV_CONTENT_TYPE : funds::XLSX_CONTENT_TYPE));
    // DESIGN.md §7: downloads as attachments; nosniff comes from
    // http::security_headers(). ASCII names need no RFC 6266 filename*.
    response.headers.set("Content-Disposition",
                         std::string("attachment; filename=\"applications.") +
                             (csv ? "csv" : "xlsx") + "\"");
    response.headers.set("Cache-Control", "no-store");
    response.body = std::move(*bytes);
    return response;
}

} // namespace

void register_applications_export_routes(http::Router& router, ApplicationsRoutesDeps deps) {
    auto service = deps.applications;
    auto view = deps.view;
    router.get("/applications/export.csv", [service, view](http::Request& request) {
        return export_list(*service, view, request, ExportFormat::Csv);
    });
    router.get("/applications/export.xlsx", [service, view](http::Request& request) {
        return export_list(*service, view, request, ExportFormat::Xlsx);
    });
}

} // namespace spire::applications
