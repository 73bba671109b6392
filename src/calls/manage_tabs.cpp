#include "calls/manage_tabs.hpp"

namespace spire::calls {

std::string manage_href(identity::Id call_id) {
    return "/calls/" + std::to_string(call_id) + "/manage";
}

web::Data manage_tabs(const web::Translate& tr, identity::Id call_id, std::string_view current) {
    struct Tab {
        std::string_view key;
        std::string_view msgid;
        std::string_view path;
    };
    static constexpr Tab TABS[] = {{"settings", "Settings", ""},
                                   {"criteria", "Criteria", "/criteria"},
                                   {"form", "Application form", "/form"},
                                   {"screening", "Screening", "/screening"},
                                   {"reviewers", "Reviewers", "/reviewers"},
                                   {"conflicts", "Conflicts of interest", "/conflicts"},
                                   {"ranking", "Ranking", "/ranking"},
                                   {"allocation", "Allocation", "/allocation"},
                                   {"decisions", "Decisions", "/decisions"}};
    const std::string base = manage_href(call_id);
    web::Data items = web::make_list();
    for (const auto& tab : TABS) {
        web::Data item;
        item.set("href", base + std::string(tab.path));
        item.set("label", tr(tab.msgid));
        item.set("current", tab.key == current);
        items.push_back(item);
    }
    return items;
}

} // namespace spire::calls
