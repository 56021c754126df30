#include "base/file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace shindan {

namespace {

class DiskFileSystem : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::IoError(path + ": cannot open (" + std::strerror(errno) + ")");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return Status::IoError(path + ": read failed");
    return ss.str();
  }

  Status WriteFile(const std::string& path, const std::string& contents) override {
    // A device or a pipe (-o /dev/stdout, /dev/null, a FIFO) is written in place: renaming a
    // temporary file over it would replace the device with a regular file.
    std::error_code type_ec;
    const std::filesystem::file_status st = std::filesystem::status(path, type_ec);
    if (!type_ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
      std::ofstream out(path, std::ios::binary);
      if (!out) return Status::IoError(path + ": cannot open for writing (" + std::strerror(errno) + ")");
      out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
      out.flush();
      if (!out) return Status::IoError(path + ": write failed");
      return Status::Ok();
    }
    const std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) return Status::IoError(path + ": cannot create (" + std::strerror(errno) + ")");
      out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
      out.flush();
      if (!out) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        return Status::IoError(path + ": write failed");
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) return Status::IoError(path + ": cannot replace (" + ec.message() + ")");
    return Status::Ok();
  }

  Result<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix) const override {
    std::error_code ec;
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (!entry.is_regular_file()) continue;
      std::string p = entry.path().string();
      if (p.size() >= suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0) {
        out.push_back(p);
      }
    }
    if (ec) return Status::IoError(dir + ": cannot list (" + ec.message() + ")");
    std::sort(out.begin(), out.end());
    return out;
  }

  bool IsDirectory(const std::string& path) const override {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec);
  }
};

}  // namespace

FileSystem& FileSystem::Disk() {
  static DiskFileSystem disk;
  return disk;
}

Result<std::string> MemoryFileSystem::ReadFile(const std::string& path) const {
  auto it = files.find(path);
  if (it == files.end()) return Status::IoError(path + ": cannot open (No such file or directory)");
  return it->second;
}

Status MemoryFileSystem::WriteFile(const std::string& path, const std::string& contents) {
  files[path] = contents;
  return Status::Ok();
}

Result<std::vector<std::string>> MemoryFileSystem::ListFiles(const std::string& dir, const std::string& suffix) const {
  std::vector<std::string> out;
  const std::string prefix = dir + "/";
  for (const auto& [path, unused] : files) {
    if (path.rfind(prefix, 0) != 0) continue;
    if (path.find('/', prefix.size()) != std::string::npos) continue;
    if (path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(path);
    }
  }
  return out;
}

bool MemoryFileSystem::IsDirectory(const std::string& path) const {
  const std::string prefix = path + "/";
  for (const auto& [p, unused] : files) {
    if (p.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace shindan
