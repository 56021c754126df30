// The respondent's state and its steps, shared by the pages (respondent.cc) and the JSON API
// (api.cc): both faces read the same draft, validate with the same parsers and record through the
// same submission, so the two can never disagree about what was answered.
//
// The draft (Store::SaveDraft, one row per field): "p.ID" profile values, "a.ID" item answers
// (canonical codes), "done.STEP" steps finished.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "exchange/response.h"
#include "web/peers.h"
#include "web/routes.h"

namespace shindan::web {

using Draft = std::map<std::string, std::string>;

bool Done(const Draft& draft, const std::string& step);
// The respondent's draft: the one read with the invitation (Caller::draft) until this request
// saves, then the database's. SaveDraft returns once the values are durably committed
// (web/group_call.h); answers changed after the response is recorded are recorded too, as a new
// submission (SaveAnswers): the history shows the change, the survey's tables and peers follow.
Result<Draft> LoadDraft(RequestContext& ctx);
Status SaveDraft(RequestContext& ctx, const Draft& values);

const Instrument& Primary(const RequestContext& ctx);
const Instrument* Followup(const RequestContext& ctx);
// The company an invitation answers for: the one it was sent to, or one made for an open link.
std::string CompanyKey(const Invitation& invitation);

// The profile questions before the items (`first`: what classification and the peer comparison
// need) or after the result (the survey's others).
std::vector<const Item*> ProfileItems(const RequestContext& ctx, bool first);
std::vector<const Item*> AllItems(const Instrument& instrument);

// The instrument whose items the respondent answers now: the follow-up once the response is
// recorded (the pages' script saves and the API's saves alike).
const Instrument& AnsweringNow(const RequestContext& ctx, const Draft& draft);
// The instruments whose answers a save may change now: the main one, always (a change after the
// response is recorded is recorded too), and the follow-up once the main one is recorded.
std::vector<const Instrument*> Answerable(const RequestContext& ctx, const Draft& draft);

// The response given so far, validated (every value in the draft was validated when saved).
Result<Response> BuildResponse(const RequestContext& ctx, const Draft& draft, bool with_followup);
// The step to show next for this draft: profile, items, result, org or org-result.
std::string NextStep(const RequestContext& ctx, const Draft& draft);

// Values given for some items, validated.
struct Parsed {
  Draft values;                               // "p.ID" / "a.ID" → canonical value, for SaveDraft
  std::map<std::string, std::string> shown;   // item id → what to show again (canonical or as typed)
  std::map<std::string, std::string> errors;  // item id → message
};
// The raw value given for an item ("a;b" for several), or nullopt when the item was not given.
using ValueLookup = std::function<std::optional<std::string>(const Item&)>;
// Values looked up in `values` under "PREFIX" + item id (a sheet's section, or the draft's "p." / "a.").
ValueLookup LookupIn(const std::map<std::string, std::string>& values, std::string prefix = "");
// Parses the values of `items`. An item not given is an empty value (a required one is an error)
// unless `only_given`, when it is left alone.
Parsed ParseValues(const RequestContext& ctx, const Instrument& instrument, const std::vector<const Item*>& items,
                   const std::string& prefix, bool only_given, const ValueLookup& lookup);

// Records the response in the survey (a submission, as one import row would be), keeping the
// columnar copy current, marks the invitation used, and saves `done` (the steps the recording
// finishes: "done.survey-profile", "done.org") into the draft before reading it again for answers
// saved meanwhile (SaveDraft).
Status Submit(RequestContext& ctx, const Response& response, const std::vector<std::string>& instruments,
              bool with_profile, const Draft& done);

// Where the company of a diagnosis (DiagnosisJson) stands among its peers; nullopt when too few
// have answered. `recorded`: its own response is in the survey already.
Result<std::optional<PeerStanding>> Standing(RequestContext& ctx, const nlohmann::json& diagnosis, bool recorded);
// "size_industry", "size" or "survey".
const char* PeerGroupName(PeerStanding::Group group);

// --- One-item links for a colleague (colleague.cc; store.h ItemLink).

// How long a colleague's link works, at most (never longer than its invitation).
inline constexpr int kItemLinkDays = 14;

struct IssuedItemLink {
  std::string item_id;
  std::string link;  // BASE/q/TOKEN: the only place the token is ever shown
  std::string expires_at;
};

// A new link to item `item_id` of the main instrument, for the caller's invitation. InvalidInput
// naming the item when it is not one of the main instrument's.
Result<IssuedItemLink> AskColleague(RequestContext& ctx, const std::string& item_id);

// The item a colleague's link names (caller kColleague); nullptr when the catalog no longer has it.
const Item* LinkedItem(const RequestContext& ctx);

// The colleague's answer `raw` to the linked item. When it is not a valid answer, Parsed::errors
// says why and nothing is saved. Otherwise it is saved in the sheet's draft (the result page
// follows), recorded in the survey as a new submission when the response is recorded already
// (SaveDraft), and noted on the link.
Result<Parsed> AnswerAsColleague(RequestContext& ctx, const std::string& raw);

}  // namespace shindan::web
