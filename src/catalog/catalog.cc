#include "catalog/catalog.h"

#include "instrument/instrument_ids.h"

#include "build_info.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace shindan {

Result<std::unique_ptr<Catalog>> Catalog::Load(const FileSystem& fs, const std::string& root) {
  std::unique_ptr<Catalog> c(new Catalog());
  Result<std::vector<Instrument>> instruments = LoadInstrumentDir(fs, root + "/instruments");
  if (!instruments.ok()) return instruments.status();
  c->instruments_ = std::move(instruments).value();
  c->profile_ = c->Find(instrument_id::kProfile);
  if (!c->profile_) return Status::NotFound(root + "/instruments: no instrument with id 'profile'");

  Result<Geography> geo = Geography::Load(fs, root + "/data/prefectures.json");
  if (!geo.ok()) return geo.status();
  c->geography_ = std::move(geo).value();
  Result<ClassificationRules> rules = ClassificationRules::Load(fs, root + "/data/classification.json");
  if (!rules.ok()) return rules.status();
  c->classification_ = std::move(rules).value();
  Result<CaseLibrary> cases = CaseLibrary::Load(fs, root + "/data/cases.json");
  if (!cases.ok()) return cases.status();
  c->cases_ = std::move(cases).value();

  for (const Instrument& ins : c->instruments_) {
    c->parsers_[ins.id] = std::make_unique<AnswerParser>(ins, &c->geography_);
    c->codecs_[ins.id] = std::make_unique<AnswerCodec>(ins);
  }
  for (const Instrument& ins : c->instruments_) {
    const std::string path = root + "/data/advice/" + ins.id + ".json";
    Result<std::string> text = fs.ReadFile(path);
    if (!text.ok()) continue;  // advice is optional per instrument
    Result<AdviceBook> book = AdviceBook::Parse(*text, path, ins);
    if (!book.ok()) return book.status();
    c->advice_.emplace(ins.id, std::move(book).value());
  }
  return c;
}

std::string Catalog::FindRoot(const std::string& explicit_root) {
  if (!explicit_root.empty()) return explicit_root;
  if (const char* env = std::getenv("SHINDAN_DATA"); env && *env) return env;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    std::filesystem::path installed = exe.parent_path().parent_path() / "share" / "shindan";
    if (std::filesystem::is_directory(installed / "instruments", ec)) return installed.string();
  }
  return SHINDAN_SOURCE_ROOT;
}

const Instrument* Catalog::Find(const std::string& id) const {
  for (const Instrument& ins : instruments_) {
    if (ins.id == id) return &ins;
  }
  return nullptr;
}

const AnswerParser& Catalog::ParserFor(const Instrument& instrument) const { return *parsers_.at(instrument.id); }

const AnswerCodec& Catalog::CodecFor(const Instrument& instrument) const { return *codecs_.at(instrument.id); }

const AdviceBook* Catalog::AdviceFor(const std::string& instrument_id) const {
  auto it = advice_.find(instrument_id);
  return it == advice_.end() ? nullptr : &it->second;
}

}  // namespace shindan
