#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace shindan {

namespace {

std::string ErrnoText(int e) { return std::strerror(e); }

// Writes all of `bytes` to `fd` through fs.SysWrite, continuing short writes and retrying EINTR.
Status WriteAll(PosixFileSystem& fs, int fd, std::string_view bytes, const std::string& name) {
  while (!bytes.empty()) {
    const ssize_t n = fs.SysWrite(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IoError(name + ": write failed (" + ErrnoText(errno) + ")");
    }
    if (n == 0) return Status::IoError(name + ": write failed (nothing written)");
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// A path nobody else uses: two processes writing the same -o never share a temporary file.
std::string TempName(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

class PosixWritableFile : public WritableFile {
 public:
  // `in_place`: `path` is a pipe or device, written directly; else `temp` is renamed over it (or,
  // with Publish::kIfAbsent, linked to it).
  PosixWritableFile(PosixFileSystem& fs, std::string path, std::string temp, int fd, bool in_place,
                    FileSystem::Publish publish = FileSystem::Publish::kReplace)
      : fs_(fs), path_(std::move(path)), temp_(std::move(temp)), fd_(fd), in_place_(in_place), publish_(publish) {}

  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !in_place_) ::unlink(temp_.c_str());
    if (!staging_.empty() && in_place_) ::unlink(staging_.c_str());
  }

  Status Append(std::string_view bytes) override {
    if (Status s = WriteAll(fs_, fd_, bytes, in_place_ ? path_ : temp_); !s.ok()) return s;
    bytes_ += bytes.size();
    return Status::Ok();
  }

  Result<std::string> StagingPath() override {
    if (!staging_.empty()) return staging_;
    if (!in_place_) {
      // The library writes the temporary file by name. Our descriptor is closed now (Commit
      // reopens the file): SQLite's locks are POSIX locks, which a process loses on a file when it
      // closes any descriptor of it, so none of ours may be closed while the library has it open.
      ::close(fd_);
      fd_ = -1;
      staging_ = temp_;
      return staging_;
    }
    // A pipe or a device: stage in the temporary folder (the device's own folder, /dev, is not
    // writable), then copy into it at Commit().
    std::error_code ec;
    const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) return Status::IoError(path_ + ": no temporary folder to stage the file in (" + ec.message() + ")");
    std::string name = (dir / "shindan-stage-XXXXXX").string();
    const int fd = ::mkstemp(name.data());
    if (fd < 0) return Status::IoError(name + ": cannot create a temporary file (" + ErrnoText(errno) + ")");
    ::close(fd);
    staging_ = name;
    return staging_;
  }

  Status Commit() override {
    if (!staging_.empty()) {
      if (Status s = DeliverStaging(); !s.ok()) return s;
    }
    if (!in_place_ && fs_.SysFsync(fd_) != 0) {
      return Status::IoError(temp_ + ": cannot flush to disk (" + ErrnoText(errno) + ")");
    }
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return Status::IoError((in_place_ ? path_ : temp_) + ": write failed (" + ErrnoText(errno) + ")");
    if (in_place_) {
      committed_ = true;
      return Status::Ok();
    }
    if (publish_ == FileSystem::Publish::kIfAbsent) {
      if (fs_.SysLink(temp_.c_str(), path_.c_str()) != 0) {
        return Status::IoError(path_ + ": cannot create (" + ErrnoText(errno) + ")");
      }
      ::unlink(temp_.c_str());  // the file has its name; the private one is only a second link
    } else if (fs_.SysRename(temp_.c_str(), path_.c_str()) != 0) {
      return Status::IoError(path_ + ": cannot replace (" + ErrnoText(errno) + ")");
    }
    committed_ = true;
    // The new name survives a crash once the folder is flushed; a failure here loses nothing
    // that was there before, so it is not an error.
    const std::string dir = std::filesystem::path(path_).parent_path().string();
    const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      fs_.SysFsync(dfd);
      ::close(dfd);
    }
    return Status::Ok();
  }

  size_t bytes() const override { return bytes_; }

 private:
  // The library wrote the staging file by name: for a regular target it is the temporary file
  // (reopened, since the library replaced it); for a pipe or device its bytes are copied in.
  Status DeliverStaging() {
    if (!in_place_) {
      fd_ = ::open(temp_.c_str(), O_RDWR | O_CLOEXEC);
      if (fd_ < 0) return Status::IoError(temp_ + ": cannot reopen (" + ErrnoText(errno) + ")");
      struct stat st;
      if (fstat(fd_, &st) == 0) bytes_ = static_cast<size_t>(st.st_size);
      return Status::Ok();
    }
    const int in = ::open(staging_.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return Status::IoError(staging_ + ": cannot open (" + ErrnoText(errno) + ")");
    char buf[1 << 16];
    Status status;
    for (;;) {
      const ssize_t n = ::read(in, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        status = Status::IoError(staging_ + ": cannot read (" + ErrnoText(errno) + ")");
        break;
      }
      if (n == 0) break;
      status = Append(std::string_view(buf, static_cast<size_t>(n)));
      if (!status.ok()) break;
    }
    ::close(in);
    return status;
  }

  PosixFileSystem& fs_;
  std::string path_, temp_, staging_;
  int fd_;
  bool in_place_;
  FileSystem::Publish publish_;
  bool committed_ = false;
  size_t bytes_ = 0;
};

Status NotByName(const std::string& path) {
  return Status::Internal(path + ": a file in memory cannot be written by name");
}

class MemoryWritableFile : public WritableFile {
 public:
  MemoryWritableFile(MemoryFileSystem& fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  Status Append(std::string_view bytes) override {
    data_.append(bytes);
    return Status::Ok();
  }
  Result<std::string> StagingPath() override { return NotByName(path_); }
  Status Commit() override {
    fs_.files[path_] = std::move(data_);
    return Status::Ok();
  }
  size_t bytes() const override { return data_.size(); }

 private:
  MemoryFileSystem& fs_;
  std::string path_;
  std::string data_;
};

}  // namespace

Status FileSystem::WriteFile(const std::string& path, std::string_view contents) {
  Result<std::unique_ptr<WritableFile>> file = NewWritableFile(path);
  if (!file.ok()) return file.status();
  if (Status s = (*file)->Append(contents); !s.ok()) return s;
  return (*file)->Commit();
}

FileSystem& FileSystem::Disk() {
  static PosixFileSystem disk;
  return disk;
}

Result<std::string> PosixFileSystem::ReadFile(const std::string& path) const {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(path + ": cannot open (" + ErrnoText(errno) + ")");
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    return Status::IoError(path + ": cannot read (" + ErrnoText(e) + ")");
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::IoError(path + ": cannot read (Is a directory) — expected a file");
  }
  std::string out;
  if (S_ISREG(st.st_mode)) out.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      return Status::IoError(path + ": cannot read (" + ErrnoText(e) + ")");
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

// The descriptor of this process that `path` names through its links (/dev/stdout → /proc/self/fd/1,
// /dev/fd/3), or -1. Such a file is already open, often a regular file the shell redirected into:
// renaming over the name would replace the link itself (as root, /dev/stdout became a regular
// file), so it is written through a duplicate of the descriptor, at the descriptor's offset.
int OwnDescriptorOf(const std::string& path) {
  const std::string own_prefixes[] = {"/proc/self/fd/", "/dev/fd/", "/proc/" + std::to_string(getpid()) + "/fd/"};
  std::error_code ec;
  std::filesystem::path p(path);
  for (int hops = 0; hops < 16; ++hops) {
    const std::string name = p.lexically_normal().string();
    for (const std::string& prefix : own_prefixes) {
      if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
      const std::string number = name.substr(prefix.size());
      if (number.size() > 9 || number.find_first_not_of("0123456789") != std::string::npos) continue;
      return std::stoi(number);
    }
    if (!std::filesystem::is_symlink(p, ec)) return -1;
    const std::filesystem::path next = std::filesystem::read_symlink(p, ec);
    if (ec) return -1;
    p = next.is_absolute() ? next : p.parent_path() / next;
  }
  return -1;
}

// A regular target (or a new one): a temporary file beside it, renamed over it by Commit().
Result<std::unique_ptr<WritableFile>> PosixFileSystem::NewTemporaryBeside(const std::string& path, Publish publish) {
  const std::string temp = TempName(path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return Status::IoError(path + ": cannot open for writing (" + ErrnoText(errno) + ")");
  return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(*this, path, temp, fd, false, publish));
}

Result<std::unique_ptr<WritableFile>> PosixFileSystem::NewWritableFile(const std::string& path) {
  if (const int own = OwnDescriptorOf(path); own >= 0) {
    const int fd = ::fcntl(own, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return Status::IoError(path + ": cannot open for writing (" + ErrnoText(errno) + ")");
    return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(*this, path, "", fd, true));
  }
  // A device or a pipe (-o /dev/null, a FIFO) is written in place.
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Status::IoError(path + ": cannot open for writing (" + ErrnoText(errno) + ")");
    return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(*this, path, "", fd, true));
  }
  return NewTemporaryBeside(path, Publish::kReplace);
}

Result<std::unique_ptr<WritableFile>> PosixFileSystem::NewStagedFile(const std::string& path, Publish publish) {
  // Checked before anything is opened: opening a FIFO for writing would wait for a reader, and
  // renaming over a device would replace the device node.
  struct stat st;
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) return Status::IoError(path + ": cannot open for writing (Is a directory)");
  if ((exists && !S_ISREG(st.st_mode)) || OwnDescriptorOf(path) >= 0) {
    return Status::InvalidInput(
        path +
        ": パイプ、デバイス、または /dev/stdout のような開いているファイルです — 通常のファイルのパスを指定してく"
        "ださい（全体を作ってから置き換えるため） / a pipe, a device or an open file such as /dev/stdout — expected "
        "the path of a regular file (this file is built whole, then renamed into place)");
  }
  return NewTemporaryBeside(path, publish);
}

ssize_t PosixFileSystem::SysWrite(int fd, const void* data, size_t size) { return ::write(fd, data, size); }
int PosixFileSystem::SysFsync(int fd) { return ::fsync(fd); }
int PosixFileSystem::SysRename(const char* from, const char* to) { return ::rename(from, to); }
int PosixFileSystem::SysLink(const char* from, const char* to) { return ::link(from, to); }

Result<std::vector<std::string>> PosixFileSystem::ListFiles(const std::string& dir, const std::string& suffix) const {
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

bool PosixFileSystem::IsDirectory(const std::string& path) const {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

Result<std::string> MemoryFileSystem::ReadFile(const std::string& path) const {
  auto it = files.find(path);
  if (it == files.end()) return Status::IoError(path + ": cannot open (No such file or directory)");
  return it->second;
}

Result<std::unique_ptr<WritableFile>> MemoryFileSystem::NewWritableFile(const std::string& path) {
  return std::unique_ptr<WritableFile>(std::make_unique<MemoryWritableFile>(*this, path));
}

Result<std::unique_ptr<WritableFile>> MemoryFileSystem::NewStagedFile(const std::string& path, Publish) {
  return NotByName(path);
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
