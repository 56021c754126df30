// libFuzzer entry point; SHINDAN_FUZZ_TARGET selects the target at build time.
//   cmake -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DSHINDAN_FUZZ=ON && ninja -C build-fuzz
//   build-fuzz/fuzz/fuzz_csv -max_len=65536 tests/fixtures/sheets
#include "fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  shindan::fuzz::SHINDAN_FUZZ_TARGET(data, size);
  return 0;
}
