// Building blocks of the pages a token opens (respondent.cc, colleague.cc): the page around its
// content, the server-error page, one item as the items page shows it.
#pragma once

#include <string>

#include "web/render.h"
#include "web/routes.h"

namespace shindan {
struct Instrument;
struct Item;
}  // namespace shindan

namespace shindan::web {

// A page (templates/layout.html around `content`) that no cache keeps.
HttpResponse Page(const RequestContext& ctx, int status, const std::string& title, const std::string& content);
// 503 with "try again".
HttpResponse ServerError(const RequestContext& ctx);
// One item as templates/item.html shows it: number, text, objective and example apart, the sheet's
// notes as inline help, one full-width button per option (`value` checked), `error` beside it.
mstch::map ItemContext(const RequestContext& ctx, const Instrument& ins, const Item& item, const std::string& value,
                       const std::string& error);

}  // namespace shindan::web
