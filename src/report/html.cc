// The HTML report. One string is built front to back: head with the inline style sheet, the title
// block, a contents list, then each section with its key figures and its tables. A charted table
// is drawn as SVG here, by hand, rather than by a JavaScript library: the page has to open offline,
// print the same on every machine and pass a Content-Security-Policy that forbids scripts.
//
// The charts have no text measurement to rely on (the page is laid out by whichever browser opens
// it), so label widths are estimated from display columns (East Asian wide = 2) and long labels
// are shortened with "…"; the full label is always in the table below and in each mark's <title>.
#include "report/html.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

namespace shindan {
namespace {

using Kind = TableCell::Kind;

// ------------------------------------------------------------------------------------------ text

Lang Other(Lang lang) { return lang == Lang::kJa ? Lang::kEn : Lang::kJa; }
const char* Code(Lang lang) { return lang == Lang::kJa ? "ja" : "en"; }

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one.
size_t Utf8Length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = 0;
  uint32_t min = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  uint32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Escapes for both text and attribute values. Labels come from survey data, so besides the five
// markup characters it replaces broken UTF-8 (U+FFFD) and drops control characters, which are
// parse errors in HTML and would make the page fail validation.
void AppendEscaped(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const size_t n = Utf8Length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((c >= 0x20 && c != 0x7F) || c == '\t' || c == '\n' || c == '\r') out += static_cast<char>(c);
    }
    ++i;
  }
}

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendEscaped(out, s);
  return out;
}

// The text in `lang`, then the other language smaller beside it (left out when both are the same).
std::string Bilingual(const LocalText& t, Lang lang) {
  const std::string& primary = t.in(lang).empty() ? t.in(Other(lang)) : t.in(lang);
  std::string out = Esc(primary);
  const std::string& secondary = t.in(Other(lang));
  if (!secondary.empty() && secondary != primary) {
    out += " <span class=\"alt\" lang=\"";
    out += Code(Other(lang));
    out += "\">" + Esc(secondary) + "</span>";
  }
  return out;
}

// Chart labels: an estimate of the drawn width at `font_px`. Noto Sans CJK draws a wide character
// 1 em and Latin letters about 0.55 em; 0.56 em per display column errs on the wide side.
double TextPx(std::string_view s, double font_px) { return DisplayWidth(s) * font_px * 0.56; }

// Shortens `s` to at most `columns` display columns, ending in "…" when cut.
std::string Shorten(const std::string& s, int columns) {
  if (DisplayWidth(s) <= columns) return s;
  std::string out;
  int used = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t n = std::max<size_t>(1, Utf8Length(s, i));
    const std::string_view ch = std::string_view(s).substr(i, n);
    const int w = DisplayWidth(ch);
    if (used + w > columns - 1) break;
    out.append(ch);
    used += w;
    i += n;
  }
  return out + "…";
}

// Fixed interface strings.
struct UiText {
  LocalText survey{"調査", "Survey"};
  LocalText generated{"作成日時", "Generated"};
  LocalText suppression{"秘匿", "Suppression"};
  LocalText contents{"目次", "Contents"};
  LocalText note{"注", "Note"};
  LocalText suppressed_cell{"回答数が基準未満のため非表示", "suppressed: too few respondents"};
  LocalText footer{"この報告書は shindan が回答データから自動で作成しました。",
                   "Made by shindan from the survey responses, with no hand work."};
  LocalText bars{"棒グラフ", "bar chart"};
  LocalText histogram{"ヒストグラム", "histogram"};
  LocalText heat_map{"色分け表（ヒートマップ）", "heat map"};
  LocalText legend_suppressed{"秘匿", "suppressed"};
};
const UiText kUi;

LocalText SuppressionRule(int min_cell) {
  const std::string k = std::to_string(min_cell);
  return {"回答数が " + k + " 未満の値は「–」と表示し、数値を伏せています。",
          "Figures drawn from fewer than " + k + " respondents are withheld and shown as “–”."};
}

// ---------------------------------------------------------------------------------------- numbers

// SVG coordinates with at most one decimal, independent of the process locale.
std::string N(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::round(v * 10) / 10, std::chars_format::fixed, 1);
  if (ec != std::errc()) return "0";
  std::string s(buf, end);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

// An axis from lo to hi in steps of a "nice" size (1, 2, 2.5 or 5 times a power of ten).
struct Axis {
  double lo = 0, hi = 1, step = 0.25;
  double Fraction(double v) const { return hi > lo ? (v - lo) / (hi - lo) : 0; }
};

Axis NiceAxis(double lo, double hi, int ticks, bool integers) {
  if (!(hi > lo)) hi = lo + (integers ? 1 : 0.1);
  const double raw = (hi - lo) / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  double nice = f <= 1 ? 1 : f <= 2 ? 2 : (f <= 2.5 && !(integers && magnitude == 1)) ? 2.5 : f <= 5 ? 5 : 10;
  double step = nice * magnitude;
  if (integers) step = std::max(1.0, std::ceil(step));
  return {std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step, step};
}

// A tick label in the figure's own kind: shares as percentages, others with as many decimals as
// the step needs.
std::string TickLabel(double v, double step, Kind kind) {
  const bool share = kind == Kind::kShare;
  const double scale = share ? 100 : 1;
  int decimals = 0;
  while (decimals < 3 &&
         std::abs(step * scale * std::pow(10, decimals) - std::round(step * scale * std::pow(10, decimals))) > 1e-6) {
    ++decimals;
  }
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v * scale, std::chars_format::fixed, decimals);
  std::string s = ec == std::errc() ? std::string(buf, end) : "";
  if (s == "-0") s = "0";
  return share ? s + "%" : s;
}

// The sequential colour scale of the heat maps: ColorBrewer YlGnBu, light (low) to dark (high).
// Lightness falls monotonically, so it reads in grey print and for colour-blind readers.
struct Rgb {
  double r, g, b;
};
constexpr Rgb kScale[] = {{255, 255, 204}, {161, 218, 180}, {65, 182, 196}, {44, 127, 184}, {37, 52, 148}};

Rgb ScaleColour(double t) {
  t = std::clamp(t, 0.0, 1.0) * (std::size(kScale) - 1);
  const size_t i = std::min<size_t>(static_cast<size_t>(t), std::size(kScale) - 2);
  const double f = t - i;
  const Rgb& a = kScale[i];
  const Rgb& b = kScale[i + 1];
  return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f};
}

std::string Hex(const Rgb& c) {
  static const char* digits = "0123456789abcdef";
  std::string s = "#";
  for (double v : {c.r, c.g, c.b}) {
    const int x = std::clamp(static_cast<int>(std::lround(v)), 0, 255);
    s += digits[x >> 4];
    s += digits[x & 15];
  }
  return s;
}

// Dark fills need white value text (WCAG relative luminance, simplified gamma).
bool IsDark(const Rgb& c) {
  const auto lin = [](double v) { return std::pow(v / 255.0, 2.2); };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b) < 0.28;
}

// ----------------------------------------------------------------------------------------- charts

const TableCell kEmptyCell;

const TableCell& CellAt(const ReportTable& t, size_t row, size_t col) {
  const auto& r = t.rows[row];
  return col < r.size() ? r[col] : kEmptyCell;
}

std::string RowLabel(const ReportTable& t, size_t row, Lang lang) {
  return t.rows[row].empty() ? "" : FormatCell(t.rows[row][0], lang);
}

// Numbers of one column: their range and kind, or nothing when the column has none.
struct ColumnValues {
  bool any = false;
  double min = 0, max = 0;
  Kind kind = Kind::kCount;
  bool integers = true;  // all counts: axis ticks stay whole
};

ColumnValues Values(const ReportTable& t, size_t col) {
  ColumnValues v;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const TableCell& c = CellAt(t, i, col);
    if (!c.is_number() || !std::isfinite(c.number)) continue;
    if (!v.any) v.kind = c.kind, v.min = v.max = c.number;
    v.any = true;
    v.min = std::min(v.min, c.number);
    v.max = std::max(v.max, c.number);
    v.integers = v.integers && c.kind == Kind::kCount;
  }
  return v;
}

bool Plottable(const TableCell& c) { return c.is_number() && std::isfinite(c.number); }

std::string SvgOpen(const ReportTable& t, Lang lang, const char* kind, const LocalText& kind_name, double width,
                    double height) {
  const std::string label = t.title.in(lang) + " — " + kind_name.in(lang);
  std::string s = "<svg class=\"chart-svg\" data-chart=\"";
  s += kind;
  s += "\" role=\"img\" aria-label=\"" + Esc(label) + "\" viewBox=\"0 0 " + N(width) + " " + N(height) + "\" width=\"" +
       N(width) + "\" height=\"" + N(height) + "\">\n<title>" + Esc(label) + "</title>\n";
  return s;
}

std::string Text(double x, double y, const char* cls, const char* anchor, const std::string& text,
                 const std::string& extra = "") {
  return "<text class=\"" + std::string(cls) + "\" x=\"" + N(x) + "\" y=\"" + N(y) + "\" text-anchor=\"" + anchor +
         "\"" + extra + ">" + Esc(text) + "</text>";
}

std::string Rect(double x, double y, double w, double h, const std::string& attrs) {
  return "<rect x=\"" + N(x) + "\" y=\"" + N(y) + "\" width=\"" + N(std::max(0.0, w)) + "\" height=\"" +
         N(std::max(0.0, h)) + "\" " + attrs + "/>";
}

std::string Line(double x1, double y1, double x2, double y2, const char* cls) {
  return "<line class=\"" + std::string(cls) + "\" x1=\"" + N(x1) + "\" y1=\"" + N(y1) + "\" x2=\"" + N(x2) +
         "\" y2=\"" + N(y2) + "\"/>";
}

// A hover tip for one mark: "label: value".
std::string Tip(const std::string& label, const std::string& value) {
  return "<title>" + Esc(label + ": " + value) + "</title>";
}

constexpr double kLabelFont = 12;
constexpr int kLabelColumns = 30;

// kBars: a horizontal bar per row. Shares span 0–100% so that charts can be compared by eye.
std::string BarsSvg(const ReportTable& t, Lang lang) {
  const size_t col = t.chart_column;
  const ColumnValues v = Values(t, col);
  if (!v.any) return "";
  const Axis axis = v.kind == Kind::kShare && v.min >= 0 && v.max <= 1
                        ? Axis{0, 1, 0.25}
                        : NiceAxis(std::min(0.0, v.min), std::max(0.0, v.max), 4, v.integers);

  double label_w = 40;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    label_w = std::max(label_w, TextPx(Shorten(RowLabel(t, i, lang), kLabelColumns), kLabelFont));
  }
  label_w = std::min(label_w, 220.0);
  const double plot_x = label_w + 10, plot_w = 360, top = 6, row_h = 22, bar_h = 14;
  const double axis_y = top + t.rows.size() * row_h;
  const double width = plot_x + plot_w + 64, height = axis_y + 22;
  const auto x_of = [&](double value) { return plot_x + axis.Fraction(value) * plot_w; };

  std::string s = SvgOpen(t, lang, "bars", kUi.bars, width, height);
  for (double tick = axis.lo; tick <= axis.hi + axis.step * 1e-6; tick += axis.step) {
    s += Line(x_of(tick), top, x_of(tick), axis_y, "grid");
    s += Text(x_of(tick), axis_y + 15, "tick", "middle", TickLabel(tick, axis.step, v.kind));
  }
  s += Line(x_of(0), top, x_of(0), axis_y, "axis");
  s += Line(plot_x, axis_y, plot_x + plot_w, axis_y, "axis");
  s += "\n";
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const std::string label = RowLabel(t, i, lang);
    const TableCell& c = CellAt(t, i, col);
    const std::string value = FormatCell(c, lang);
    const double cy = top + i * row_h + row_h / 2;
    s += "<g>" + Tip(label, c.kind == Kind::kSuppressed ? kUi.suppressed_cell.in(lang) : value);
    s += Text(plot_x - 8, cy, "lbl", "end", Shorten(label, kLabelColumns), " dominant-baseline=\"central\"");
    if (Plottable(c)) {
      const double a = x_of(std::min(0.0, c.number)), b = x_of(std::max(0.0, c.number));
      s += Rect(a, cy - bar_h / 2, std::max(b - a, c.number != 0 ? 1.0 : 0.0), bar_h, "class=\"bar\"");
      s += Text(b + 5, cy, "val", "start", value, " dominant-baseline=\"central\"");
    } else if (c.kind == Kind::kSuppressed) {
      s += Text(x_of(0) + 5, cy, "val sup", "start", value, " dominant-baseline=\"central\"");
    }
    s += "</g>\n";
  }
  return s + "</svg>";
}

// kHistogram: rows are adjacent bins, drawn as touching columns with the bin labels beneath.
std::string HistogramSvg(const ReportTable& t, Lang lang) {
  const size_t col = t.chart_column;
  const ColumnValues v = Values(t, col);
  if (!v.any) return "";
  const Axis axis = NiceAxis(std::min(0.0, v.min), std::max(0.0, v.max), 4, v.integers);
  const size_t n = t.rows.size();
  const double slot = std::clamp(520.0 / n, 16.0, 60.0);

  double label_px = 0;
  for (size_t i = 0; i < n; ++i) label_px = std::max(label_px, TextPx(Shorten(RowLabel(t, i, lang), 16), 11));
  const bool rotate = label_px > slot - 4;
  const double plot_x = 56, top = 24, plot_h = 180, plot_w = n * slot;
  const double base = top + plot_h;
  const double labels_h = rotate ? label_px * 0.71 + 18 : 22;
  const double width = std::max(plot_x + plot_w + 16, 200.0), height = base + labels_h + 20;
  const auto y_of = [&](double value) { return base - axis.Fraction(value) * plot_h; };

  std::string s = SvgOpen(t, lang, "histogram", kUi.histogram, width, height);
  for (double tick = axis.lo; tick <= axis.hi + axis.step * 1e-6; tick += axis.step) {
    s += Line(plot_x, y_of(tick), plot_x + plot_w, y_of(tick), "grid");
    s += Text(plot_x - 6, y_of(tick), "tick", "end", TickLabel(tick, axis.step, v.kind),
              " dominant-baseline=\"central\"");
  }
  if (col < t.columns.size()) s += Text(4, 12, "axt", "start", t.columns[col].in(lang));
  if (!t.columns.empty()) s += Text(plot_x + plot_w / 2, height - 5, "axt", "middle", t.columns[0].in(lang));
  s += "\n";
  for (size_t i = 0; i < n; ++i) {
    const std::string label = RowLabel(t, i, lang);
    const TableCell& c = CellAt(t, i, col);
    const std::string value = FormatCell(c, lang);
    const double x = plot_x + i * slot, cx = x + slot / 2;
    s += "<g>" + Tip(label, c.kind == Kind::kSuppressed ? kUi.suppressed_cell.in(lang) : value);
    if (Plottable(c)) {
      const double y0 = y_of(std::max(0.0, c.number)), y1 = y_of(std::min(0.0, c.number));
      s += Rect(x + 0.5, y0, slot - 1, std::max(y1 - y0, c.number != 0 ? 1.0 : 0.0), "class=\"bar\"");
      if (TextPx(value, 10) <= slot) s += Text(cx, y0 - 4, "val small", "middle", value);
    } else if (c.kind == Kind::kSuppressed) {
      s += Text(cx, y_of(0) - 5, "val sup", "middle", value);
    }
    const std::string shown = Shorten(label, 16);
    if (rotate) {
      s += Text(cx, base + 12, "tick", "end", shown, " transform=\"rotate(-45 " + N(cx) + " " + N(base + 12) + ")\"");
    } else {
      s += Text(cx, base + 15, "tick", "middle", shown);
    }
    s += "</g>\n";
  }
  s += Line(plot_x, y_of(0), plot_x + plot_w, y_of(0), "axis");
  s += Line(plot_x, top, plot_x, base, "axis");
  return s + "</svg>";
}

// kHeatMap: rows × the numeric columns from chart_column on, each cell coloured by its value on the
// table's scale, with the value written in it and a legend beneath.
std::string HeatMapSvg(const ReportTable& t, Lang lang) {
  std::vector<size_t> cols;
  Kind kind = Kind::kMean;
  bool any_number = false, any_suppressed = false;
  double data_min = 0, data_max = 0;
  const size_t ncol = std::max(t.columns.size(), t.rows.empty() ? 0 : t.rows[0].size());
  for (size_t j = t.chart_column; j < ncol; ++j) {
    bool used = false;
    for (size_t i = 0; i < t.rows.size(); ++i) {
      const TableCell& c = CellAt(t, i, j);
      if (c.kind == Kind::kSuppressed) used = any_suppressed = true;
      if (!Plottable(c)) continue;
      if (!any_number) kind = c.kind, data_min = data_max = c.number;
      any_number = used = true;
      data_min = std::min(data_min, c.number);
      data_max = std::max(data_max, c.number);
    }
    if (used) cols.push_back(j);
  }
  if (!any_number) return "";
  double lo = t.scale_min, hi = t.scale_max;
  if (!(hi > lo)) lo = data_min, hi = data_max > data_min ? data_max : data_min + 1;

  double label_w = 30;
  for (size_t i = 0; i < t.rows.size(); ++i) {
    label_w = std::max(label_w, TextPx(Shorten(RowLabel(t, i, lang), 24), kLabelFont));
  }
  label_w = std::min(label_w, 180.0);
  const double cell_w = cols.size() > 10 ? 46 : 60, cell_h = 22;
  double head_px = 0;
  for (size_t j : cols) {
    if (j < t.columns.size()) head_px = std::max(head_px, TextPx(Shorten(t.columns[j].in(lang), 16), 11));
  }
  const bool rotate = head_px > cell_w - 6;
  const double grid_x = label_w + 12, grid_y = rotate ? head_px * 0.71 + 14 : 24;
  const double grid_w = cols.size() * cell_w, grid_h = t.rows.size() * cell_h;
  const double legend_y = grid_y + grid_h + 18, swatch_w = 24;
  constexpr int swatches = 10;
  const double width =
      std::max(grid_x + grid_w + (rotate ? head_px * 0.71 : 0) + 8, grid_x + swatches * swatch_w + 120);
  const double height = legend_y + 12 + 18;

  std::string s = SvgOpen(t, lang, "heatmap", kUi.heat_map, width, height);
  for (size_t k = 0; k < cols.size(); ++k) {
    const double cx = grid_x + k * cell_w + cell_w / 2;
    const std::string head = cols[k] < t.columns.size() ? Shorten(t.columns[cols[k]].in(lang), 16) : "";
    if (rotate) {
      s += Text(cx, grid_y - 6, "tick head", "start", head,
                " transform=\"rotate(-45 " + N(cx) + " " + N(grid_y - 6) + ")\"");
    } else {
      s += Text(cx, grid_y - 8, "tick head", "middle", head);
    }
  }
  s += "\n";
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const std::string label = RowLabel(t, i, lang);
    const double y = grid_y + i * cell_h;
    s += Text(grid_x - 8, y + cell_h / 2, "lbl", "end", Shorten(label, 24), " dominant-baseline=\"central\"");
    for (size_t k = 0; k < cols.size(); ++k) {
      const TableCell& c = CellAt(t, i, cols[k]);
      const double x = grid_x + k * cell_w;
      const std::string column = cols[k] < t.columns.size() ? t.columns[cols[k]].in(lang) : "";
      const std::string value = FormatCell(c, lang);
      if (Plottable(c)) {
        const Rgb fill = ScaleColour((c.number - lo) / (hi - lo));
        s += "<g>" + Tip(label + " / " + column, value);
        s += Rect(x, y, cell_w, cell_h, "class=\"cell\" fill=\"" + Hex(fill) + "\"");
        s += Text(x + cell_w / 2, y + cell_h / 2, IsDark(fill) ? "cv light" : "cv", "middle", value,
                  " dominant-baseline=\"central\"");
        s += "</g>";
      } else if (c.kind == Kind::kSuppressed) {
        s += "<g>" + Tip(label + " / " + column, kUi.suppressed_cell.in(lang));
        s += Rect(x, y, cell_w, cell_h, "class=\"cell suppressed\"");
        s += Text(x + cell_w / 2, y + cell_h / 2, "cv sup", "middle", value, " dominant-baseline=\"central\"");
        s += "</g>";
      } else {
        s += Rect(x, y, cell_w, cell_h, "class=\"cell blank\"");
      }
    }
    s += "\n";
  }
  // The legend: ten steps of the scale with its ends and middle labelled in the figures' own format.
  for (int k = 0; k < swatches; ++k) {
    const Rgb fill = ScaleColour((k + 0.5) / swatches);
    s += Rect(grid_x + k * swatch_w, legend_y, swatch_w, 12, "class=\"swatch\" fill=\"" + Hex(fill) + "\"");
  }
  for (int k = 0; k <= 2; ++k) {
    const double value = lo + (hi - lo) * k / 2;
    static const char* const kAnchors[] = {"start", "middle", "end"};
    s += Text(grid_x + k * swatches * swatch_w / 2, legend_y + 26, "tick", kAnchors[k],
              FormatCell(TableCell::Number(kind, value), lang));
  }
  if (any_suppressed) {
    const double x = grid_x + swatches * swatch_w + 16;
    s += Rect(x, legend_y, swatch_w, 12, "class=\"cell suppressed\"");
    s += Text(x + swatch_w + 6, legend_y + 6, "tick", "start", "– " + kUi.legend_suppressed.in(lang),
              " dominant-baseline=\"central\"");
  }
  return s + "\n</svg>";
}

std::string ChartSvg(const ReportTable& t, Lang lang) {
  if (t.rows.empty() || t.chart_column < 0) return "";
  switch (t.chart) {
    case ChartKind::kNone:
      return "";
    case ChartKind::kBars:
      return BarsSvg(t, lang);
    case ChartKind::kHistogram:
      return HistogramSvg(t, lang);
    case ChartKind::kHeatMap:
      return HeatMapSvg(t, lang);
  }
  return "";
}

// ------------------------------------------------------------------------------------------ page

// Print: A4 with 15 mm margins, tables and charts kept whole on a page where they fit, colours kept.
constexpr std::string_view kStyle = R"css(
@page { size: A4; margin: 15mm; }
:root { --ink: #1f2933; --muted: #52606d; --rule: #cbd2d9; --faint: #f3f5f8; --accent: #1d4e89; }
* { box-sizing: border-box; }
html { font-size: 15px; -webkit-text-size-adjust: 100%; }
body {
  margin: 0 auto; max-width: 64rem; padding: 2rem 1.5rem 3rem; color: var(--ink); background: #fff;
  font-family: "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "Hiragino Kaku Gothic ProN",
    "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif;
  font-size: 1rem; line-height: 1.65; -webkit-print-color-adjust: exact; print-color-adjust: exact;
}
.alt { color: var(--muted); font-size: .78em; font-weight: normal; }
header.doc-head { border-bottom: 3px solid var(--accent); padding-bottom: 1rem; margin-bottom: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.3; margin: 0 0 1rem; }
h1 .alt { display: block; font-size: .55em; margin-top: .3rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.25rem; margin: 0; font-size: .9rem; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
nav.toc { background: var(--faint); border-radius: 6px; padding: .8rem 1.25rem; margin: 0 0 2rem; font-size: .9rem; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .3rem; padding: 0; border: 0; }
nav.toc ol { margin: 0; padding-left: 1.4rem; }
nav.toc ol ol { list-style: none; padding-left: .8rem; font-size: .95em; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
h2 { font-size: 1.3rem; line-height: 1.4; border-left: 5px solid var(--accent); padding: .1rem 0 .1rem .65rem;
  margin: 2.75rem 0 1rem; break-after: avoid; }
dl.facts { display: flex; flex-wrap: wrap; gap: .75rem; margin: 0 0 1.5rem; }
.fact { border: 1px solid var(--rule); border-radius: 6px; padding: .45rem 1rem .55rem; min-width: 9rem; }
.fact dt { font-size: .82rem; color: var(--muted); }
.fact dd { margin: 0; font-size: 1.45rem; font-weight: 600; font-variant-numeric: tabular-nums; }
figure.exhibit { margin: 0 0 2.25rem; }
.exhibit-title { font-weight: 600; font-size: 1.05rem; margin: 0 0 .5rem; break-after: avoid; }
.exhibit-body.side { display: flex; flex-wrap: wrap; gap: .5rem 2rem; align-items: flex-start; }
.exhibit-body.side > .table-wrap { flex: 0 1 auto; }
.exhibit-body.side > .chart { flex: 0 0 auto; max-width: 100%; }
.chart, .table-wrap, table.data, figure.exhibit > .note { break-inside: avoid; }
.chart { margin: .25rem 0 .75rem; }
.table-wrap { overflow-x: auto; margin: 0 0 .25rem; }
table.data { border-collapse: collapse; font-size: .88rem; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: .28rem .65rem; border-bottom: 1px solid var(--rule); text-align: left;
  vertical-align: top; }
table.data thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; font-weight: 600;
  background: var(--faint); }
table.data thead th .alt { display: block; }
table.data tbody th { font-weight: normal; }
table.data tbody tr:nth-child(even) { background: #fafbfc; }
table.data .num { text-align: right; }
table.data td.num, table.data th.nowrap { white-space: nowrap; }
table.data th.nowrap .alt { white-space: normal; }
table.data .long { min-width: 20em; }
table.data.wide { font-size: .78rem; }
table.data.wide th, table.data.wide td { padding: .25rem .4rem; }
table.data td.sup { color: #9aa5b1; }
.note { font-size: .84rem; color: var(--muted); margin: .3rem 0 0; }
svg.chart-svg { display: block; max-width: 100%; height: auto; }
svg.chart-svg text { fill: var(--ink); font-family: inherit; }
svg .lbl { font-size: 12px; }
svg .val { font-size: 11px; fill: #323f4b; }
svg .val.small { font-size: 10px; }
svg .tick { font-size: 10.5px; fill: #52606d; }
svg .axt { font-size: 11px; fill: var(--muted); }
svg .cv { font-size: 11px; }
svg text.light { fill: #fff; }
svg text.sup { fill: #7b8794; }
svg .bar { fill: var(--accent); }
svg .grid { stroke: #e4e7eb; stroke-width: 1; }
svg .axis { stroke: #9aa5b1; stroke-width: 1; }
svg .cell { stroke: #fff; stroke-width: 1; }
svg .cell.suppressed { fill: #d3d8de; }
svg .cell.blank { fill: #fff; stroke: #e4e7eb; }
svg .swatch { stroke: none; }
footer.doc-foot { margin-top: 3rem; border-top: 1px solid var(--rule); padding-top: .75rem; font-size: .8rem;
  color: var(--muted); }
@media print {
  html { font-size: 9.5pt; }
  body { max-width: none; padding: 0; }
  table.data th, table.data td { padding: .2rem .45rem; }
  table.data.wide th, table.data.wide td { padding: .2rem .3rem; }
  nav.toc { display: none; }
  h2 { margin-top: 1.75rem; }
  .table-wrap { overflow: visible; }
  figure.exhibit { margin-bottom: 1.25rem; }
}
)css";

bool IsNumericColumn(const ReportTable& t, size_t j) {
  for (size_t i = 0; i < t.rows.size(); ++i) {
    const TableCell& c = CellAt(t, i, j);
    if (c.is_number() || c.kind == Kind::kSuppressed) return true;
  }
  return false;
}

// Layout hints for the browser's table algorithm, which otherwise squeezes the one column of long
// text (item wording, comments) into a sliver beside wide headings, or breaks a two-character
// heading such as 順位 after each character. Widths in display columns.
constexpr int kShortHeading = 8;  // up to 4 wide characters (順位, 構成比): kept on one line
constexpr int kLongText = 40;     // a text column with longer cells gets a minimum width
constexpr size_t kWideTable = 9;  // columns; more are set smaller

void AppendTable(std::string& out, const ReportTable& t, Lang lang) {
  const size_t ncol = std::max(t.columns.size(), t.rows.empty() ? 0 : t.rows[0].size());
  std::vector<bool> numeric(ncol), long_text(ncol);
  for (size_t j = 0; j < ncol; ++j) {
    numeric[j] = j > 0 && IsNumericColumn(t, j);
    for (size_t i = 0; i < t.rows.size() && !long_text[j]; ++i) {
      const TableCell& c = CellAt(t, i, j);
      long_text[j] = c.kind == Kind::kText && DisplayWidth(c.label.in(lang)) > kLongText;
    }
  }
  // Many columns (the 採点表 by every attribute) must still fit across A4 portrait.
  out += ncol > kWideTable ? "<div class=\"table-wrap\"><table class=\"data wide\">\n<thead><tr>"
                           : "<div class=\"table-wrap\"><table class=\"data\">\n<thead><tr>";
  for (size_t j = 0; j < ncol; ++j) {
    const std::string heading = j < t.columns.size() ? t.columns[j].in(lang) : "";
    std::string cls = numeric[j] ? "num" : "";
    if (DisplayWidth(heading) <= kShortHeading) cls += cls.empty() ? "nowrap" : " nowrap";
    if (long_text[j]) cls += cls.empty() ? "long" : " long";
    out += cls.empty() ? "<th scope=\"col\">" : "<th scope=\"col\" class=\"" + cls + "\">";
    if (j < t.columns.size()) out += Bilingual(t.columns[j], lang);
    out += "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  const std::string suppressed_title = Esc(kUi.suppressed_cell.in(lang));
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (size_t j = 0; j < std::max(ncol, row.size()); ++j) {
      const TableCell& c = j < row.size() ? row[j] : kEmptyCell;
      const std::string text = Esc(FormatCell(c, lang));
      if (j == 0) {
        out += "<th scope=\"row\">" + text + "</th>";
      } else if (c.kind == Kind::kSuppressed) {
        out += "<td class=\"num sup\" title=\"" + suppressed_title + "\">" + text + "</td>";
      } else if (c.is_number() || (j < ncol && numeric[j])) {
        out += "<td class=\"num\">" + text + "</td>";
      } else {
        out += "<td>" + text + "</td>";
      }
    }
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
}

std::string TableAnchor(const ReportTable& t, size_t section, size_t index) {
  return t.id.empty() ? "table-" + std::to_string(section + 1) + "-" + std::to_string(index + 1) : t.id;
}

void AppendExhibit(std::string& out, const ReportTable& t, const std::string& anchor, Lang lang) {
  out += "<figure class=\"exhibit\" id=\"" + Esc(anchor) + "\">\n<figcaption class=\"exhibit-title\">" +
         Bilingual(t.title, lang) + "</figcaption>\n";
  const std::string svg = ChartSvg(t, lang);
  // Small bar charts and histograms sit beside their table at their own size, or wrap beneath it
  // when both do not fit across (never shrunk to fit beside it); a heat map is as wide as its
  // table, so it goes above it.
  const bool side = !svg.empty() && t.chart != ChartKind::kHeatMap && t.columns.size() <= 4;
  out += side ? "<div class=\"exhibit-body side\">\n" : "<div class=\"exhibit-body\">\n";
  const std::string chart = svg.empty() ? "" : "<div class=\"chart\">" + svg + "</div>\n";
  if (!side) out += chart;
  AppendTable(out, t, lang);
  if (side) out += chart;
  out += "</div>\n";
  if (!t.note.ja.empty() || !t.note.en.empty()) {
    out += "<p class=\"note\">" + Bilingual(kUi.note, lang) + ": " + Bilingual(t.note, lang) + "</p>\n";
  }
  out += "</figure>\n";
}

}  // namespace

std::string RenderHtml(const ReportDocument& doc, Lang lang) {
  std::string out;
  out.reserve(64 * 1024);
  const std::string title = doc.title.in(lang).empty() ? doc.title.in(Other(lang)) : doc.title.in(lang);
  out += "<!DOCTYPE html>\n<html lang=\"";
  out += Code(lang);
  out +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // Nothing may load or run: the page is data for reading, and labels come from user input.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      "<meta name=\"generator\" content=\"shindan\">\n<title>";
  out += Esc(doc.survey.empty() ? title : title + " — " + doc.survey);
  out += "</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<header class=\"doc-head\">\n<h1>" + Bilingual(doc.title, lang) + "</h1>\n";

  out += "<dl class=\"meta\">\n";
  if (!doc.survey.empty()) {
    out += "<dt>" + Bilingual(kUi.survey, lang) + "</dt><dd>" + Esc(doc.survey) + "</dd>\n";
  }
  if (!doc.generated.empty()) {
    out += "<dt>" + Bilingual(kUi.generated, lang) + "</dt><dd><time datetime=\"" + Esc(doc.generated) + "\">" +
           Esc(doc.generated) + "</time></dd>\n";
  }
  if (doc.min_cell > 0) {
    out += "<dt>" + Bilingual(kUi.suppression, lang) + "</dt><dd>" + Bilingual(SuppressionRule(doc.min_cell), lang) +
           "</dd>\n";
  }
  out += "</dl>\n</header>\n";

  if (doc.sections.size() > 1) {
    out += "<nav class=\"toc\" aria-label=\"" + Esc(kUi.contents.in(lang)) + "\">\n<h2>" +
           Bilingual(kUi.contents, lang) + "</h2>\n<ol>\n";
    for (size_t s = 0; s < doc.sections.size(); ++s) {
      const ReportSection& section = doc.sections[s];
      out += "<li><a href=\"#section-" + std::to_string(s + 1) + "\">" + Esc(section.title.in(lang)) + "</a>";
      if (!section.tables.empty()) {
        out += "\n<ol>\n";
        for (size_t k = 0; k < section.tables.size(); ++k) {
          out += "<li><a href=\"#" + Esc(TableAnchor(section.tables[k], s, k)) + "\">" +
                 Esc(section.tables[k].title.in(lang)) + "</a></li>\n";
        }
        out += "</ol>\n";
      }
      out += "</li>\n";
    }
    out += "</ol>\n</nav>\n";
  }

  out += "<main>\n";
  for (size_t s = 0; s < doc.sections.size(); ++s) {
    const ReportSection& section = doc.sections[s];
    const std::string id = "section-" + std::to_string(s + 1);
    out += "<section id=\"" + id + "\">\n<h2>" + Bilingual(section.title, lang) + "</h2>\n";
    if (!section.facts.empty()) {
      out += "<dl class=\"facts\">\n";
      for (const ReportFact& fact : section.facts) {
        out += "<div class=\"fact\"><dt>" + Bilingual(fact.label, lang) + "</dt><dd>" +
               Esc(FormatCell(fact.value, lang)) + "</dd></div>\n";
      }
      out += "</dl>\n";
    }
    for (size_t k = 0; k < section.tables.size(); ++k) {
      AppendExhibit(out, section.tables[k], TableAnchor(section.tables[k], s, k), lang);
    }
    out += "</section>\n";
  }
  out += "</main>\n<footer class=\"doc-foot\">" + Bilingual(kUi.footer, lang) + "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace shindan
