// A one-item link for a colleague (issue 11 §4). A respondent who answered わからない ("don't
// know") to an item sends it to the colleague who knows; the link shows that item alone — not the
// company's other answers, not its result — and the colleague's answer fills it in and updates
// the result. The link is its own random token (kept only as a hash), checked by the route table
// as Access::kColleague, so no respondent route accepts it and it accepts no invitation token.
#include <chrono>

#include "store/password.h"
#include "web/app.h"
#include "web/pages.h"
#include "web/respondent_flow.h"

namespace shindan::web {

Result<IssuedItemLink> AskColleague(RequestContext& ctx, const std::string& item_id) {
  const Instrument& ins = Primary(ctx);
  if (!ins.FindItem(item_id)) {
    return Status::InvalidInput("item '" + item_id + "' — expected an item id of " + ins.id + " (" + ins.items.front().id +
                                " … " + ins.items.back().id + ")");
  }
  const Invitation& inv = *ctx.caller.invitation;
  std::string expires = FormatTimestamp(std::chrono::system_clock::now() + std::chrono::hours(24) * kItemLinkDays);
  if (!inv.expires_at.empty() && inv.expires_at < expires) expires = inv.expires_at;
  const std::string token = NewToken();
  ItemLink link;
  link.invitation_id = inv.id;
  link.item_id = item_id;
  link.token_hash = HashToken(token);
  link.expires_at = expires;
  Result<WebApp::Lease> db = ctx.app.Db();
  if (!db.ok()) return db.status();
  if (Result<int64_t> id = (*db)->AddItemLink(link); !id.ok()) {
    db->Discard();
    return id.status();
  }
  std::string base = ctx.app.options().base_url;
  while (base.ends_with('/')) base.pop_back();
  return IssuedItemLink{item_id, base + "/q/" + token, expires};
}

const Item* LinkedItem(const RequestContext& ctx) { return Primary(ctx).FindItem(ctx.caller.item_link->item_id); }

Result<Parsed> AnswerAsColleague(RequestContext& ctx, const std::string& raw) {
  const Item* item = LinkedItem(ctx);
  if (!item) return Status::NotFound("item '" + ctx.caller.item_link->item_id + "' is no longer in " + Primary(ctx).id);
  const Instrument& ins = Primary(ctx);
  Parsed p = ParseValues(ctx, ins, {item}, "a.", false,
                         [&](const Item&) -> std::optional<std::string> { return raw; });
  if (!p.errors.empty()) return p;
  const std::string code = p.values.at("a." + item->id);
  // Into the draft, and into the record when the response is recorded already (SaveDraft).
  if (Status s = SaveDraft(ctx, p.values); !s.ok()) return s;
  Result<WebApp::Lease> db = ctx.app.Db();
  if (!db.ok()) return db.status();
  if (Status s = (*db)->MarkItemLinkAnswered(ctx.caller.item_link->id, code); !s.ok()) {
    db->Discard();
    return s;
  }
  return p;
}

namespace {

std::string AnswerLabel(const RequestContext& ctx, const Item& item, const std::string& code) {
  for (const AnswerOption* o : Primary(ctx).OptionsFor(item)) {
    if (o->code == code) return o->label.in(ctx.lang);
  }
  return code;
}

// The colleague's page: the one item, with the answer given before (when there is one).
HttpResponse ColleagueForm(const RequestContext& ctx, const Item& item, const std::string& value,
                           const std::string& error, int status) {
  const ItemLink& link = *ctx.caller.item_link;
  const std::string heading = Text(ctx.lang, "colleague_title");
  mstch::map m{{"heading", heading},
               {"lead", Text(ctx.lang, "colleague_lead")},
               {"action", "/q/" + ctx.caller.token},
               {"csrf", ctx.app.Csrf(ctx.caller)},
               {"item", ItemContext(ctx, Primary(ctx), item, value, error)},
               {"has_errors", !error.empty()},
               {"expires_at", link.expires_at.substr(0, 10)}};
  if (!link.answered_at.empty() && error.empty()) {
    m["answered"] = Text(ctx.lang, "colleague_answered") + (ctx.lang == Lang::kJa ? "" : " ") + AnswerLabel(ctx, item, link.answer) + "（" +
                    link.answered_at.substr(0, 10) + "）";
  }
  return Page(ctx, status, heading, Render("colleague", std::move(m), ctx.lang));
}

}  // namespace

// The respondent asks: a new link for one item, shown once (only its hash is kept).
HttpResponse AskPost(RequestContext& ctx) {
  const std::string item_id = ctx.request.Form("item");
  Result<IssuedItemLink> issued = AskColleague(ctx, item_id);
  if (issued.status().code() == Status::Code::kInvalidInput) {
    return MessagePage(ctx, 422, "bad_request_title", "bad_ask");
  }
  if (!issued.ok()) return ServerError(ctx);
  const Item& item = *Primary(ctx).FindItem(item_id);
  const std::string heading = Text(ctx.lang, "ask_title");
  const std::string label = item.objective ? item.objective->in(ctx.lang) : item.text.in(ctx.lang);
  const std::string subject = Text(ctx.lang, "ask_mail_subject");
  const std::string body = Text(ctx.lang, "ask_mail_body") + "\n\nNo." + item.number + " " + label + "\n\n" + issued->link;
  mstch::map m{{"heading", heading},
               {"number", item.number},
               {"label", label},
               {"link", issued->link},
               {"mailto", "mailto:?subject=" + PercentEncode(subject) + "&body=" + PercentEncode(body)},
               {"expires_at", issued->expires_at.substr(0, 10)},
               {"result", "/r/" + ctx.caller.token + "/result#u-" + item.id}};
  return Page(ctx, 200, heading, Render("ask", std::move(m), ctx.lang));
}

HttpResponse ColleagueGet(RequestContext& ctx) {
  const Item* item = LinkedItem(ctx);
  if (!item) return MessagePage(ctx, 404, "invalid_link_title", "invalid_link");
  return ColleagueForm(ctx, *item, ctx.caller.item_link->answer, "", 200);
}

HttpResponse ColleaguePost(RequestContext& ctx) {
  const Item* item = LinkedItem(ctx);
  if (!item) return MessagePage(ctx, 404, "invalid_link_title", "invalid_link");
  const std::string raw = ctx.request.Form(item->id);
  Result<Parsed> p = AnswerAsColleague(ctx, raw);
  if (!p.ok()) return ServerError(ctx);
  if (!p->errors.empty()) return ColleagueForm(ctx, *item, raw, p->errors.begin()->second, 422);
  return HttpResponse::Redirect("/q/" + ctx.caller.token);
}

}  // namespace shindan::web
