#include "web/render.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <map>

#include "web/assets.h"

namespace shindan::web {

namespace {

struct TextTables {
  mstch::map ja, en;
  std::map<std::string, std::string> raw_ja, raw_en;
};

const TextTables& Tables() {
  static const TextTables tables = [] {
    TextTables t;
    const Asset* a = FindAsset("assets/texts.json");
    if (!a) std::abort();  // compiled in: a build without it is broken
    const nlohmann::json j = nlohmann::json::parse(a->bytes);
    for (const auto& [key, v] : j.items()) {
      const std::string ja = v.at("ja").get<std::string>(), en = v.at("en").get<std::string>();
      t.ja.emplace(key, ja);
      t.en.emplace(key, en);
      t.raw_ja.emplace(key, ja);
      t.raw_en.emplace(key, en);
    }
    return t;
  }();
  return tables;
}

std::string Template(std::string_view name) {
  const Asset* a = FindAsset("templates/" + std::string(name) + ".html");
  return a ? std::string(a->bytes) : std::string();
}

const std::map<std::string, std::string>& Partials() {
  static const std::map<std::string, std::string> partials = {{"field", Template("field")}, {"item", Template("item")}};
  return partials;
}

}  // namespace

const mstch::map& Texts(Lang lang) { return lang == Lang::kJa ? Tables().ja : Tables().en; }

const std::string& Text(Lang lang, const std::string& key) {
  const auto& raw = lang == Lang::kJa ? Tables().raw_ja : Tables().raw_en;
  static const std::string kMissing;
  auto it = raw.find(key);
  return it == raw.end() ? kMissing : it->second;
}

std::string Render(std::string_view name, mstch::map context, Lang lang) {
  context["t"] = Texts(lang);
  context["lang"] = std::string(lang == Lang::kJa ? "ja" : "en");
  return mstch::render(Template(name), context, Partials());
}

std::string RenderPage(Lang lang, const std::string& title, const std::string& content) {
  mstch::map context{{"title", title},
                     {"content", content},
                     {"other_lang", std::string(lang == Lang::kJa ? "en" : "ja")},
                     {"other_lang_label", std::string(lang == Lang::kJa ? "English" : "日本語")}};
  return Render("layout", std::move(context), lang);
}

mstch::node FromJson(const nlohmann::json& value, Lang lang) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return mstch::node(nullptr);
    case nlohmann::json::value_t::boolean:
      return mstch::node(value.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return mstch::node(static_cast<int>(value.get<long long>()));
    case nlohmann::json::value_t::number_float:
      return mstch::node(value.get<double>());
    case nlohmann::json::value_t::string:
      return mstch::node(value.get<std::string>());
    case nlohmann::json::value_t::array: {
      mstch::array a;
      for (const auto& v : value) a.push_back(FromJson(v, lang));
      return mstch::node(std::move(a));
    }
    case nlohmann::json::value_t::object: {
      if (value.size() == 2 && value.contains("ja") && value.contains("en") && value["ja"].is_string()) {
        return mstch::node(value[lang == Lang::kJa ? "ja" : "en"].get<std::string>());
      }
      mstch::map m;
      for (const auto& [k, v] : value.items()) m.emplace(k, FromJson(v, lang));
      return mstch::node(std::move(m));
    }
    default:
      return mstch::node(nullptr);
  }
}

}  // namespace shindan::web
