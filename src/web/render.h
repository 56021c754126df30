// Pages from the Mustache templates in src/web/templates (Debian's libmstch): every {{value}} is
// HTML-escaped; the only unescaped insertions ({{{content}}}, {{{radar}}}) are output of this
// same renderer. The page texts are data (assets/texts.json), in Japanese and English.
#pragma once

#include <mstch/mstch.hpp>
#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

#include "base/text.h"

namespace shindan::web {

// The texts of assets/texts.json in `lang`, as a map for templates ({{t.KEY}}).
const mstch::map& Texts(Lang lang);
// One text.
const std::string& Text(Lang lang, const std::string& key);

// Renders templates/NAME.html with `context`; `context` gains "t" (the texts) and "lang".
std::string Render(std::string_view name, mstch::map context, Lang lang);

// A whole page: templates/layout.html around `content` (already rendered).
std::string RenderPage(Lang lang, const std::string& title, const std::string& content);

// A JSON value as a template context; a {"ja": …, "en": …} object becomes the text in `lang`.
mstch::node FromJson(const nlohmann::json& value, Lang lang);

}  // namespace shindan::web
