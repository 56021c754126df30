// The radar chart of a result's categories, as SVG drawn by the server (templates/radar.html).
#pragma once

#include <string>
#include <vector>

#include "base/text.h"

namespace shindan::web {

struct RadarAxis {
  std::string label;
  double value = 0;  // 0…1: points over the applicable best
};

std::string RadarSvg(const std::vector<RadarAxis>& axes, const std::string& title, Lang lang);

}  // namespace shindan::web
