// File access behind a small interface, so that the core can be tested without a disk and with
// injected failures (after LevelDB's Env and Ninja's DiskInterface).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace shindan {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  // Writes atomically: a temporary file beside `path`, then a rename, so that a crash or a full
  // disk never leaves half a file where a good one was.
  virtual Status WriteFile(const std::string& path, const std::string& contents) = 0;
  // The regular files directly inside `dir` whose names end in `suffix`, sorted by name.
  virtual Result<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix) const = 0;
  virtual bool IsDirectory(const std::string& path) const = 0;

  // The real disk. The returned object lives for the whole program.
  static FileSystem& Disk();
};

// An in-memory file system for tests.
class MemoryFileSystem : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override;
  Status WriteFile(const std::string& path, const std::string& contents) override;
  Result<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix) const override;
  bool IsDirectory(const std::string& path) const override;

  std::map<std::string, std::string> files;
};

}  // namespace shindan
