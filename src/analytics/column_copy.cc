#include "analytics/column_copy.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "base/key_index.h"
#include "catalog/catalog.h"
#include "instrument/codec.h"
#include "profile/company.h"
#include "store/store.h"

namespace shindan {

// Named, not anonymous: CopyWriter::State (declared in the header) holds a Layout and a Meta.
namespace column_copy_internal {

// A row of the copy: [0] 1 when the slot holds a company, [1..9] the SnapshotRow bytes, [10] 1 when
// the company answered the secondary instrument, then one byte per primary item, then per
// secondary item (alphabet indices, 0 = no answer).
constexpr size_t kPresent = 0, kAttributes = 1, kHasSecondary = 10, kAnswers = 11;
constexpr uint32_t kKeyBuckets = 1024;

std::string BlockName(size_t block) {
  char name[32];
  std::snprintf(name, sizeof name, "block:%06zu", block);
  return name;
}
std::string BucketName(uint32_t bucket) {
  char name[32];
  std::snprintf(name, sizeof name, "keys:%04u", bucket);
  return name;
}
std::string CellName(int cell) {
  char name[32];
  std::snprintf(name, sizeof name, "cell:%03d", cell);
  return name;
}

uint32_t BucketOf(std::string_view key) {  // FNV-1a: stable across builds and machines
  uint32_t h = 2166136261u;
  for (unsigned char c : key) h = (h ^ c) * 16777619u;
  return h % kKeyBuckets;
}

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

void WriteRowAttributes(const SnapshotRow& r, uint8_t* row) {
  const uint8_t a[9] = {r.size, r.industry, r.region, r.sites, r.it_staff, r.servers, r.it_uses, r.flags, r.quota};
  std::memcpy(row + kAttributes, a, sizeof a);
}
SnapshotRow ReadRowAttributes(const uint8_t* row) {
  const uint8_t* a = row + kAttributes;
  SnapshotRow r;
  r.size = a[0], r.industry = a[1], r.region = a[2], r.sites = a[3], r.it_staff = a[4], r.servers = a[5];
  r.it_uses = a[6], r.flags = a[7], r.quota = a[8];
  return r;
}

// What the copy is made of, from the catalog: the decoder, the answer alphabet, the row width and
// the shape of a cell state.
struct Layout {
  RecordDecoder decoder;
  std::unique_ptr<Snapshot> shape;  // empty: the alphabet, min_total and bins
  size_t primary = 0, secondary = 0, width = 0;
  size_t codes = 0, counters = 0;  // cell state: [0] companies, [1, 1 + bins) totals, then [item][code]
  std::string key;
  SnapshotRow empty_row;  // a company without a profile

  static Result<Layout> For(const Catalog& catalog) {
    Result<RecordDecoder> decoder = RecordDecoder::New(catalog);
    if (!decoder.ok()) return decoder.status();
    Layout l{*decoder, decoder->NewSnapshot()};
    l.primary = l.decoder.primary().items.size();
    l.secondary = l.decoder.secondary() ? l.decoder.secondary()->items.size() : 0;
    l.width = kAnswers + l.primary + l.secondary;
    l.codes = l.shape->alphabet().codes.size();
    l.counters = 1 + static_cast<size_t>(l.shape->bins()) + l.primary * l.codes;
    l.key = "copy-1 " + l.decoder.primary().id + "@" + l.decoder.primary().version;
    if (l.decoder.secondary()) l.key += " " + l.decoder.secondary()->id + "@" + l.decoder.secondary()->version;
    l.key += " " + catalog.profile().id + "@" + catalog.profile().version + " rows " + std::to_string(kCopyBlockRows);
    SetDimensions(Classification(), &l.empty_row);
    return l;
  }

  int CellOf(const uint8_t* row) const {
    return dim::Cell(row[kAttributes], row[kAttributes + 1], row[kAttributes + 2]);
  }
  int BinOf(const uint8_t* row) const {
    int total = 0;
    for (size_t k = 0; k < primary; ++k) total += shape->alphabet().points[k][row[kAnswers + k]];
    return total - shape->min_total();
  }
  // Adds (sign 1) or removes (sign -1) a row's counts in its cell's state.
  void Count(const uint8_t* row, int64_t sign, std::vector<int64_t>* state) const {
    (*state)[0] += sign;
    (*state)[1 + static_cast<size_t>(BinOf(row))] += sign;
    const size_t base = 1 + static_cast<size_t>(shape->bins());
    for (size_t k = 0; k < primary; ++k) (*state)[base + k * codes + row[kAnswers + k]] += sign;
  }
  // Applies a decoded record to a row (all zero for a new company): its profile when it carries
  // one, its answers to each instrument it has. The current state as ScanLatest reads it.
  void Apply(const DecodedRecord& d, bool is_new, uint8_t* row) const {
    if (is_new) {
      row[kPresent] = 1;
      WriteRowAttributes(empty_row, row);
    }
    if (d.has_profile) WriteRowAttributes(d.row, row);
    if (d.has_primary) std::memcpy(row + kAnswers, d.primary.data(), primary);
    if (d.has_secondary) {
      row[kHasSecondary] = 1;
      std::memcpy(row + kAnswers + primary, d.secondary.data(), secondary);
    }
  }
};

std::string EncodeState(const std::vector<int64_t>& state) {
  std::string out(state.size() * 8, '\0');
  for (size_t i = 0; i < state.size(); ++i) {
    const auto v = static_cast<uint64_t>(state[i]);
    for (int b = 0; b < 8; ++b) out[i * 8 + static_cast<size_t>(b)] = static_cast<char>((v >> (8 * b)) & 0xff);
  }
  return out;
}
std::vector<int64_t> DecodeState(std::string_view bytes, size_t counters) {
  std::vector<int64_t> state(counters, 0);
  for (size_t i = 0; i < counters && (i + 1) * 8 <= bytes.size(); ++i) {
    uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i * 8 + static_cast<size_t>(b)])) << (8 * b);
    state[i] = static_cast<int64_t>(v);
  }
  return state;
}

struct Meta {
  int64_t revision = -1;
  uint64_t rows = 0;
  std::string key;
};
std::string EncodeMeta(const Meta& m) { return std::to_string(m.revision) + "\n" + std::to_string(m.rows) + "\n" + m.key; }
std::optional<Meta> DecodeMeta(std::string_view s) {
  Meta m;
  const size_t a = s.find('\n');
  const size_t b = a == std::string_view::npos ? a : s.find('\n', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  m.revision = std::stoll(std::string(s.substr(0, a)));
  m.rows = std::stoull(std::string(s.substr(a + 1, b - a - 1)));
  m.key = std::string(s.substr(b + 1));
  return m;
}

// Reads the copy's meta, then `read` (the parts it wants), then the survey's revision: when the
// revision is still the one the meta records, no write committed since the meta was read and the
// copy was current then, so what `read` saw is the current state (whatever the store's isolation
// between statements). False when the copy is not current.
Result<bool> ReadConsistent(const Layout& layout, Store& store, int64_t survey_id, Meta* meta,
                            const std::function<Status()>& read) {
  Result<std::optional<std::string>> m = store.ReadCopyPart(survey_id, "meta");
  if (!m.ok()) return m.status();
  std::optional<Meta> decoded = *m ? DecodeMeta(**m) : std::nullopt;
  if (!decoded || decoded->key != layout.key) return false;
  *meta = *decoded;
  if (Status s = read(); !s.ok()) return s;
  Result<int64_t> revision = store.SurveyRevision(survey_id);
  if (!revision.ok()) return revision.status();
  return *revision == meta->revision;
}

}  // namespace column_copy_internal

using namespace column_copy_internal;

// --- CopyWriter

struct CopyWriter::State {
  const Catalog& catalog;
  Store& store;
  int64_t survey_id;
  std::optional<Layout> layout;
  bool current = false, broken = false, started = false;
  bool undecodable = false;  // a record the catalog cannot decode (not a database error)
  Meta meta;
  uint64_t stored_rows = 0;  // rows of the copy as stored at Start: only those parts are read
  DecodedRecord decoded;
  // Which slot each company has: one flat index of the keys of the buckets loaded so far and of
  // the keys added (a key's slot at its number), not a map per bucket — at a million keys the
  // nodes of std::unordered_map, and freeing them, were a large part of the copy's cost. A bucket
  // is loaded (its stored keys added, in slot order) before a key of it is looked up, and new
  // companies get increasing slots, so the keys of one bucket are in slot order by number.
  KeyIndex keys;
  std::vector<uint32_t> key_slot;
  std::vector<uint16_t> key_bucket;
  std::vector<bool> bucket_loaded = std::vector<bool>(kKeyBuckets, false);
  std::vector<bool> bucket_dirty = std::vector<bool>(kKeyBuckets, false);
  std::vector<std::string> blocks;  // by block number; empty: not loaded. Loaded ones are written back
  std::vector<std::optional<std::vector<int64_t>>> cells = std::vector<std::optional<std::vector<int64_t>>>(dim::kCells);
  std::vector<bool> cell_dirty = std::vector<bool>(dim::kCells, false);

  // Adds the stored keys of bucket `b` to the index, once.
  Status LoadBucket(uint32_t b) {
    if (bucket_loaded[b]) return Status::Ok();
    bucket_loaded[b] = true;
    if (stored_rows == 0) return Status::Ok();
    Result<std::optional<std::string>> part = store.ReadCopyPart(survey_id, BucketName(b));
    if (!part.ok()) return part.status();
    const std::string& data = part->value_or("");
    for (size_t i = 0; i + 8 <= data.size();) {
      const uint32_t slot = GetU32(data.data() + i), size = GetU32(data.data() + i + 4);
      AddKey(std::string_view(data).substr(i + 8, size), slot, b);
      i += 8 + size;
    }
    return Status::Ok();
  }
  // The number of `key` in the index; a new key gets `slot`.
  uint32_t AddKey(std::string_view key, uint32_t slot, uint32_t bucket, bool* added = nullptr) {
    bool is_new = false;
    const uint32_t n = keys.FindOrAdd(key, &is_new);
    if (is_new) {
      key_slot.push_back(slot);
      key_bucket.push_back(static_cast<uint16_t>(bucket));
    }
    if (added) *added = is_new;
    return n;
  }
  Result<uint8_t*> Row(uint32_t slot) {
    const size_t block = slot / kCopyBlockRows;
    if (block >= blocks.size()) blocks.resize(block + 1);
    std::string& data = blocks[block];
    if (data.empty()) {
      if (static_cast<uint64_t>(block) * kCopyBlockRows < stored_rows) {
        Result<std::optional<std::string>> part = store.ReadCopyPart(survey_id, BlockName(block));
        if (!part.ok()) return part.status();
        data = part->value_or("");
      }
      data.resize(kCopyBlockRows * layout->width, '\0');
    }
    return reinterpret_cast<uint8_t*>(data.data()) + (slot % kCopyBlockRows) * layout->width;
  }
  Result<std::vector<int64_t>*> Cell(int cell) {
    if (!cells[static_cast<size_t>(cell)]) {
      std::string data;
      if (stored_rows > 0) {
        Result<std::optional<std::string>> part = store.ReadCopyPart(survey_id, CellName(cell));
        if (!part.ok()) return part.status();
        data = part->value_or("");
      }
      cells[static_cast<size_t>(cell)] = DecodeState(data, layout->counters);
    }
    cell_dirty[static_cast<size_t>(cell)] = true;
    return &*cells[static_cast<size_t>(cell)];
  }

  Status Apply(const CompanyRecord& record) {
    if (Status s = layout->decoder.Decode(record, &decoded); !s.ok()) {
      undecodable = true;
      return s;
    }
    const uint32_t b = BucketOf(record.company_key);
    if (Status s = LoadBucket(b); !s.ok()) return s;
    bool is_new = false;
    const uint32_t n = AddKey(record.company_key, static_cast<uint32_t>(meta.rows), b, &is_new);
    if (is_new) {
      ++meta.rows;
      bucket_dirty[b] = true;
    }
    Result<uint8_t*> row = Row(key_slot[n]);
    if (!row.ok()) return row.status();
    if (!is_new) {
      Result<std::vector<int64_t>*> old = Cell(layout->CellOf(*row));
      if (!old.ok()) return old.status();
      layout->Count(*row, -1, *old);
    }
    layout->Apply(decoded, is_new, *row);
    Result<std::vector<int64_t>*> now = Cell(layout->CellOf(*row));
    if (!now.ok()) return now.status();
    layout->Count(*row, 1, *now);
    return Status::Ok();
  }
};

CopyWriter::CopyWriter(const Catalog& catalog, Store& store, int64_t survey_id)
    : state_(new State{catalog, store, survey_id}) {}
CopyWriter::~CopyWriter() = default;

Status CopyWriter::Start() {
  State& st = *state_;
  st.started = true;
  Result<Layout> layout = Layout::For(st.catalog);
  if (!layout.ok()) return layout.status();
  st.layout.emplace(std::move(layout).value());
  Result<std::optional<std::string>> meta = st.store.ReadCopyPart(st.survey_id, "meta");
  if (!meta.ok()) return meta.status();
  Result<int64_t> revision = st.store.SurveyRevision(st.survey_id);
  if (!revision.ok()) return revision.status();
  std::optional<Meta> m = *meta ? DecodeMeta(**meta) : std::nullopt;
  if (m && m->key == st.layout->key && m->revision == *revision) {
    st.meta = *m;
    st.stored_rows = m->rows;
    st.current = true;
  } else if (!m && *revision == 0) {
    st.current = true;  // a survey never written: its copy is empty
  }
  return Status::Ok();
}

void CopyWriter::Add(const CompanyRecord& record) {
  State& st = *state_;
  if (!st.current || st.broken) return;
  if (!st.Apply(record).ok()) st.broken = true;
}

Status CopyWriter::Finish() {
  State& st = *state_;
  if (!st.started) return Status::Internal("CopyWriter::Finish without Start");
  if (!st.current || st.broken) return RebuildInTransaction(st.catalog, st.store, st.survey_id);
  Result<int64_t> revision = st.store.SurveyRevision(st.survey_id);
  if (!revision.ok()) return revision.status();
  st.meta.revision = *revision;
  st.meta.key = st.layout->key;
  std::vector<std::pair<std::string, std::string>> parts;
  for (size_t block = 0; block < st.blocks.size(); ++block) {
    if (!st.blocks[block].empty()) parts.emplace_back(BlockName(block), std::move(st.blocks[block]));
  }
  // Each dirty bucket's keys by slot (the same bytes every time): the key numbers grouped by bucket
  // (a counting sort, stable), which within a bucket is slot order (see State::keys); sorted again
  // only if a stored part was not.
  std::vector<uint32_t> start(kKeyBuckets + 1, 0);
  std::vector<size_t> bytes(kKeyBuckets, 0);
  for (uint32_t n = 0; n < st.keys.size(); ++n) {
    const uint32_t b = st.key_bucket[n];
    if (!st.bucket_dirty[b]) continue;
    ++start[b + 1];
    bytes[b] += 8 + st.keys.Key(n).size();
  }
  for (uint32_t b = 0; b < kKeyBuckets; ++b) start[b + 1] += start[b];
  std::vector<uint32_t> order(start[kKeyBuckets]);
  {
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (uint32_t n = 0; n < st.keys.size(); ++n) {
      if (st.bucket_dirty[st.key_bucket[n]]) order[next[st.key_bucket[n]]++] = n;
    }
  }
  for (uint32_t b = 0; b < kKeyBuckets; ++b) {
    if (!st.bucket_dirty[b]) continue;
    const auto first = order.begin() + start[b], last = order.begin() + start[b + 1];
    auto by_slot = [&](uint32_t x, uint32_t y) { return st.key_slot[x] < st.key_slot[y]; };
    if (!std::is_sorted(first, last, by_slot)) std::sort(first, last, by_slot);
    std::string data;
    data.reserve(bytes[b]);
    for (auto n = first; n != last; ++n) {
      const std::string_view key = st.keys.Key(*n);
      PutU32(&data, st.key_slot[*n]);
      PutU32(&data, static_cast<uint32_t>(key.size()));
      data += key;
    }
    parts.emplace_back(BucketName(b), std::move(data));
  }
  for (int c = 0; c < dim::kCells; ++c) {
    if (st.cell_dirty[static_cast<size_t>(c)]) parts.emplace_back(CellName(c), EncodeState(*st.cells[static_cast<size_t>(c)]));
  }
  parts.emplace_back("meta", EncodeMeta(st.meta));
  return st.store.WriteCopyParts(st.survey_id, parts, /*replace_all=*/false);
}

Status CommitWithCopy(const Catalog& catalog, Store& store, ImportSession& session,
                      std::span<const CompanyRecord> records) {
  CopyWriter copy(catalog, store, session.survey_id());
  if (Status s = copy.Start(); !s.ok()) return s;
  for (const CompanyRecord& record : records) {
    if (Status s = session.Add(record); !s.ok()) return s;
    copy.Add(record);
  }
  return session.Commit([&] { return copy.Finish(); });
}

Status RebuildCopy(const Catalog& catalog, Store& store, int64_t survey_id) {
  // In a write transaction of its own (an import session with no records), so that no write of
  // the rows lands between the scan and the copy it makes.
  Result<std::unique_ptr<ImportSession>> session = store.BeginImportOf(survey_id);
  if (!session.ok()) return session.status();
  return (*session)->Commit([&] { return RebuildInTransaction(catalog, store, survey_id); });
}

Status RebuildInTransaction(const Catalog& catalog, Store& store, int64_t survey_id) {
  CopyWriter writer(catalog, store, survey_id);
  CopyWriter::State& st = *writer.state_;
  Result<Layout> layout = Layout::For(catalog);
  if (!layout.ok()) return layout.status();
  st.layout.emplace(std::move(layout).value());
  st.started = st.current = true;
  std::fill(st.bucket_loaded.begin(), st.bucket_loaded.end(), true);  // nothing stored: all empty
  for (auto& c : st.cells) c = std::vector<int64_t>(st.layout->counters, 0);
  if (Status s = store.WriteCopyParts(survey_id, {}, /*replace_all=*/true); !s.ok()) return s;
  Status scan = store.ScanCurrent(survey_id, {0, 1}, [&](const CompanyRecord& r) { return st.Apply(r); });
  // A record the catalog cannot decode: no copy (readers use the rows and name the record).
  if (!scan.ok()) return st.undecodable ? Status::Ok() : scan;
  for (uint16_t b : st.key_bucket) st.bucket_dirty[b] = true;  // every bucket that has a key
  std::fill(st.cell_dirty.begin(), st.cell_dirty.end(), true);
  return writer.Finish();
}

// --- Readers

Result<bool> CopyIsCurrent(const Catalog& catalog, Store& store, int64_t survey_id) {
  Result<Layout> layout = Layout::For(catalog);
  if (!layout.ok()) return layout.status();
  Meta meta;
  return ReadConsistent(*layout, store, survey_id, &meta, [] { return Status::Ok(); });
}

Result<std::optional<std::unique_ptr<Snapshot>>> SnapshotFromCopy(const Catalog& catalog, Store& store, int64_t survey_id) {
  using Out = std::optional<std::unique_ptr<Snapshot>>;
  Result<Layout> layout = Layout::For(catalog);
  if (!layout.ok()) return layout.status();
  std::unique_ptr<Snapshot> snapshot = layout->decoder.NewSnapshot();
  bool bad = false;
  Meta meta;
  // Blocks come in name order, which is slot order.
  Result<bool> current = ReadConsistent(*layout, store, survey_id, &meta, [&] {
    snapshot->Reserve(static_cast<size_t>(meta.rows));
    return store.ReadCopyParts(survey_id, "block:", [&](const std::string&, std::string_view data) {
      if (data.size() != kCopyBlockRows * layout->width) {
        bad = true;
        return Status::Ok();
      }
      for (size_t r = 0; r < kCopyBlockRows; ++r) {
        const auto* row = reinterpret_cast<const uint8_t*>(data.data()) + r * layout->width;
        if (!row[kPresent]) continue;
        snapshot->AddCoded(ReadRowAttributes(row), row + kAnswers,
                           row[kHasSecondary] ? row + kAnswers + layout->primary : nullptr);
      }
      return Status::Ok();
    });
  });
  if (!current.ok()) return current.status();
  if (!*current || bad || snapshot->rows() != meta.rows) return Out();
  snapshot->Cluster();
  return Out(std::move(snapshot));
}

Result<std::unique_ptr<Snapshot>> SnapshotForReport(const Catalog& catalog, Store& store, const StoreOpener& open,
                                                    int64_t survey_id) {
  Result<std::optional<std::unique_ptr<Snapshot>>> copy = SnapshotFromCopy(catalog, store, survey_id);
  if (!copy.ok()) return copy.status();
  if (*copy) return std::move(**copy);
  return SnapshotFromStore(catalog, open, survey_id);
}

double PeerHistogram::Percentile(int total) const {
  if (companies == 0) return 0;
  double below = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const int t = min_total + static_cast<int>(i);
    if (t < total) below += static_cast<double>(counts[i]);
    else if (t == total) below += static_cast<double>(counts[i]) / 2;
  }
  return 100.0 * below / static_cast<double>(companies);
}

Result<PeerHistogram> PeerTotals(const Catalog& catalog, Store& store, int64_t survey_id, const std::string& size_type,
                                 const std::string& industry) {
  Result<PeerCells> cells = ReadPeerCells(catalog, store, survey_id);
  if (!cells.ok()) return cells.status();
  return cells->Group(size_type, industry);
}

void PeerCells::Add(int size, int industry, const std::vector<int64_t>& counters) {
  std::vector<uint64_t>& cell = cells_[static_cast<size_t>(size * int{dim::kIndustryCount} + industry)];
  for (size_t i = 0; i < cell.size() && i < counters.size(); ++i) cell[i] += static_cast<uint64_t>(counters[i]);
}

PeerHistogram PeerCells::Group(const std::string& size_type, const std::string& industry) const {
  // The dims of the peer group, as the snapshot classifies (a type-S company is in industry net).
  SnapshotRow want_size, want_industry;
  {
    Classification c;
    c.size_type = size_type;
    SetDimensions(c, &want_size);
    c.size_type.clear();
    c.industry = industry;
    SetDimensions(c, &want_industry);
  }
  PeerHistogram h;
  h.min_total = min_total_;
  h.from_copy = from_copy_;
  h.counts.assign(bins_, 0);
  const size_t codes = codes_.size();
  std::vector<uint64_t> answers(items_ * codes, 0);
  for (int size = 0; size < dim::kSizeCount; ++size) {
    if (!size_type.empty() && size != want_size.size) continue;
    for (int ind = 0; ind < dim::kIndustryCount; ++ind) {
      if (!industry.empty() && ind != want_industry.industry) continue;
      const std::vector<uint64_t>& cell = cells_[static_cast<size_t>(size * int{dim::kIndustryCount} + ind)];
      h.companies += cell[0];
      for (size_t b = 0; b < bins_; ++b) h.counts[b] += cell[1 + b];
      for (size_t i = 0; i < answers.size(); ++i) answers[i] += cell[1 + bins_ + i];
    }
  }
  // The answer counts by code, as the page reads them (code 0, no answer, left out).
  h.item_answers.resize(items_);
  for (size_t k = 0; k < items_; ++k) {
    for (size_t c = 1; c < codes; ++c) {
      if (answers[k * codes + c]) h.item_answers[k][codes_[c]] = answers[k * codes + c];
    }
  }
  return h;
}

PeerHistogram PeerCells::Cell(uint8_t size, uint8_t industry) const {
  PeerHistogram h;
  h.min_total = min_total_;
  h.from_copy = from_copy_;
  if (size >= dim::kSizeCount || industry >= dim::kIndustryCount) {
    h.counts.assign(bins_, 0);
    return h;
  }
  const std::vector<uint64_t>& cell = cells_[static_cast<size_t>(size * int{dim::kIndustryCount} + industry)];
  h.companies = cell[0];
  h.counts.assign(cell.begin() + 1, cell.begin() + 1 + static_cast<std::ptrdiff_t>(bins_));
  return h;
}

Result<PeerCells> ReadPeerCells(const Catalog& catalog, Store& store, int64_t survey_id) {
  Result<Layout> layout = Layout::For(catalog);
  if (!layout.ok()) return layout.status();
  PeerCells cells;
  cells.min_total_ = layout->shape->min_total();
  cells.bins_ = static_cast<size_t>(layout->shape->bins());
  cells.items_ = layout->primary;
  cells.codes_ = layout->shape->alphabet().codes;
  const auto empty = [&] {
    cells.cells_.assign(size_t{dim::kSizeCount} * size_t{dim::kIndustryCount},
                        std::vector<uint64_t>(layout->counters, 0));
  };
  empty();
  Meta meta;
  Result<bool> current = ReadConsistent(*layout, store, survey_id, &meta, [&] {
    return store.ReadCopyParts(survey_id, "cell:", [&](const std::string& name, std::string_view data) {
      const int cell = std::atoi(name.c_str() + 5);
      const int size = cell / (int{dim::kIndustryCount} * int{dim::kRegionCount});
      const int ind = cell / int{dim::kRegionCount} % int{dim::kIndustryCount};
      if (size < dim::kSizeCount) cells.Add(size, ind, DecodeState(data, layout->counters));
      return Status::Ok();
    });
  });
  if (!current.ok()) return current.status();
  if (*current) {
    cells.from_copy_ = true;
    return cells;
  }
  // Behind: the same counts from the rows.
  empty();
  std::unique_ptr<Snapshot> snapshot = layout->decoder.NewSnapshot();
  RecordDecoder decoder = layout->decoder;
  Status s = store.ScanCurrent(survey_id, {0, 1}, [&](const CompanyRecord& r) { return decoder.Add(r, snapshot.get()); });
  if (!s.ok()) return s;
  for (size_t r = 0; r < snapshot->rows(); ++r) {
    std::vector<uint64_t>& cell =
        cells.cells_[size_t{snapshot->size_[r]} * dim::kIndustryCount + snapshot->industry_[r]];
    ++cell[0];
    ++cell[1 + snapshot->bin_[r]];
    for (size_t k = 0; k < layout->primary; ++k) ++cell[1 + cells.bins_ + k * layout->codes + snapshot->items_[k][r]];
  }
  return cells;
}

// --- The single-answer write

Status SaveAnswers(const Catalog& catalog, Store& store, int64_t survey_id, const std::string& company_key,
                   const std::string& instrument_id, const std::map<std::string, std::string>& codes) {
  const Instrument* ins = catalog.Find(instrument_id);
  if (!ins) return Status::InvalidInput("instrument '" + instrument_id + "' — expected one of the catalog's instruments");
  const AnswerCodec& codec = catalog.CodecFor(*ins);
  std::vector<std::pair<size_t, char>> changes;  // (item index, stored code)
  for (const auto& [item_id, code] : codes) {
    size_t item = 0;
    while (item < ins->items.size() && ins->items[item].id != item_id) ++item;
    if (item == ins->items.size()) {
      return Status::InvalidInput(instrument_id + ": item '" + item_id + "' — expected one of the instrument's items");
    }
    if (ins->items[item].type != ItemType::kChoice) {
      return Status::InvalidInput(instrument_id + ": item '" + item_id + "' is not a choice item");
    }
    char stored = kNoAnswer;
    if (!code.empty()) {
      const std::vector<const AnswerOption*>& options = codec.options(item);
      size_t n = 0;
      while (n < options.size() && options[n]->code != code) ++n;
      if (n == options.size() || n >= kMaxStoredOptions) {
        return Status::InvalidInput(instrument_id + " " + item_id + ": '" + code + "' — expected one of the item's answer codes");
      }
      stored = StoredOption(n);
    }
    changes.emplace_back(item, stored);
  }
  Result<std::unique_ptr<ImportSession>> session = store.BeginImportOf(survey_id);
  if (!session.ok()) return session.status();
  // Read inside the write's transaction: the current response is the one this write replaces.
  Result<std::vector<CompanyRecord>> history = store.History(survey_id, company_key);
  if (!history.ok()) return history.status();
  CompanyRecord record;
  record.company_key = company_key;
  CompanyRecord::InstrumentAnswers answers{ins->id, ins->version, std::string(ins->items.size(), kNoAnswer)};
  for (const CompanyRecord& past : *history) {
    for (const CompanyRecord::InstrumentAnswers& r : past.responses) {
      if (r.instrument_id == ins->id) answers = r;
    }
  }
  if (answers.instrument_version != ins->version || answers.answers.size() != ins->items.size()) {
    return Status::InvalidInput("company " + company_key + ": its answers to " + ins->id + " are stored with version " +
                                answers.instrument_version + " — expected " + ins->version + " to change its answers");
  }
  const std::string before = answers.answers;
  for (const auto& [item, stored] : changes) answers.answers[item] = stored;
  if (answers.answers == before) return Status::Ok();  // nothing changes: no submission (the session rolls back)
  record.responses.push_back(std::move(answers));
  return CommitWithCopy(catalog, store, **session, {&record, 1});
}

Status SaveProfile(const Catalog& catalog, Store& store, int64_t survey_id, const std::string& company_key,
                   const std::map<std::string, std::string>& values) {
  const Instrument& profile = catalog.profile();
  Answers given;  // canonical, as the import keeps them
  for (const auto& [field, value] : values) {
    const Item* item = profile.FindItem(field);
    if (!item) return Status::InvalidInput("profile: field '" + field + "' — expected one of the profile's item ids");
    if (value.empty()) {
      given[field] = "";
      continue;
    }
    Result<std::string> canonical = catalog.ParserFor(profile).Parse(*item, value);
    if (!canonical.ok()) return Status::InvalidInput("profile " + field + ": " + canonical.status().message());
    given[field] = std::move(canonical).value();
  }
  Result<std::unique_ptr<ImportSession>> session = store.BeginImportOf(survey_id);
  if (!session.ok()) return session.status();
  // Read inside the write's transaction: the current profile is the one this write replaces.
  Result<std::vector<CompanyRecord>> history = store.History(survey_id, company_key);
  if (!history.ok()) return history.status();
  Answers current;
  std::string current_encoded;
  for (const CompanyRecord& past : *history) {
    if (past.profile_version.empty()) continue;
    if (past.profile_version != profile.version) {
      return Status::InvalidInput("company " + company_key + ": its profile is stored with version " + past.profile_version +
                                  " — expected " + profile.version + " to change it");
    }
    Result<Answers> decoded = DecodeValues(profile, past.profile);
    if (!decoded.ok()) return decoded.status();
    current = std::move(decoded).value();
    current_encoded = past.profile;
  }
  Answers changed = current;
  for (const auto& [field, value] : given) {
    if (value.empty()) {
      changed.erase(field);
    } else {
      changed[field] = value;
    }
  }
  Result<std::string> encoded = EncodeValues(profile, changed);
  if (!encoded.ok()) return encoded.status();
  if (*encoded == current_encoded) return Status::Ok();  // nothing changes: no submission (the session rolls back)
  CompanyRecord record;
  record.company_key = company_key;
  record.profile_version = profile.version;
  record.profile = std::move(encoded).value();
  const Classification c = catalog.classification().Classify(ProfileFromAnswers(changed), catalog.geography());
  record.size_type = c.size_type;
  record.industry = c.industry;
  record.region = c.region;
  return CommitWithCopy(catalog, store, **session, {&record, 1});
}

}  // namespace shindan
