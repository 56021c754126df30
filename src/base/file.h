// File access behind a small interface, so that the core can be tested without a disk and with
// injected failures (after LevelDB's Env and Ninja's DiskInterface).
//
// Writing has one owner: WritableFile. Every command that writes a file (export, report, take -o,
// demo -o, sample -o, design -o, backup -o …) writes through it, so that a failure never leaves half a file
// where a good one was and a pipe or a device given as -o stays what it is.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace shindan {

// A file being written that appears at its path only when committed.
//
// A regular file (or a path that does not exist yet) is written to a temporary file beside it
// ("PATH.tmp-PID-N", so two writers never share one) and renamed over the path by Commit(), after
// an fsync, so that a crash or a full disk leaves the old file or the new one, never half of one.
// A pipe or a device (-o /dev/null, a FIFO) is written in place: renaming over it would replace the
// device node with a regular file, and a reader of the pipe would get nothing. So is a descriptor
// this process already has open (/dev/stdout, /dev/fd/N), whatever file is behind it — through a
// duplicate of the descriptor, so that -o /dev/stdout > out.txt fills out.txt and leaves the
// link /dev/stdout as it was.
// Destroying a file that was not committed removes the temporary file (nothing else is touched).
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Appends bytes (short writes are continued; EINTR is retried).
  virtual Status Append(std::string_view bytes) = 0;
  // For a library that writes only by file name (libxlsxwriter): a regular file on disk that the
  // library may create and fill whole instead of Append; Commit() then delivers it to the path
  // (renamed for a regular target, copied into a pipe or device). Fails on a file system without
  // a disk behind it.
  virtual Result<std::string> StagingPath() = 0;
  // Makes the written bytes the file at the path. REQUIRES: called once; no Append after it.
  virtual Status Commit() = 0;
  // Bytes appended (or, after Commit, delivered from the staging file).
  virtual size_t bytes() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // The whole file. A directory or a read error is an IoError ("PATH: cannot read (…)"), never
  // an empty text.
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  // Opens `path` for writing through a WritableFile (see there). Fails when the temporary (or, for
  // a pipe or device, the path itself) cannot be opened.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  // Opens `path` for a writer that builds a file of its own format by name and cannot stream it (a
  // SQLite database, written page by page by sqlite3_backup): the file's StagingPath() is the
  // temporary file beside `path` (empty, created), which Commit() flushes, renames over `path` and
  // makes durable by flushing the folder. Nothing is written in place, so a pipe, a device or an
  // open descriptor (/dev/stdout) is refused before anything is opened (InvalidInput naming the
  // path and what was expected; it stays what it is); a folder is an IoError, as for
  // NewWritableFile. With Publish::kIfAbsent the file takes the path only when nothing is there:
  // Commit() links it (link(2) never replaces a file) and fails with an IoError naming the path
  // when a file is there already (another writer's new file), which is left as it is.
  enum class Publish { kReplace, kIfAbsent };
  virtual Result<std::unique_ptr<WritableFile>> NewStagedFile(const std::string& path, Publish publish) = 0;
  Result<std::unique_ptr<WritableFile>> NewStagedFile(const std::string& path) {
    return NewStagedFile(path, Publish::kReplace);
  }
  // The regular files directly inside `dir` whose names end in `suffix`, sorted by name.
  virtual Result<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix) const = 0;
  virtual bool IsDirectory(const std::string& path) const = 0;

  // Writes `contents` as the whole file, through NewWritableFile: all or nothing.
  Status WriteFile(const std::string& path, std::string_view contents);

  // The real disk. The returned object lives for the whole program.
  static FileSystem& Disk();
};

// The real disk through POSIX calls. The system calls that write are virtual so that
// FaultInjectingFileSystem (base/fault_file_system.h) can make them fail as a full or broken disk
// would.
class PosixFileSystem : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override;
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  using FileSystem::NewStagedFile;
  Result<std::unique_ptr<WritableFile>> NewStagedFile(const std::string& path, Publish publish) override;
  Result<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix) const override;
  bool IsDirectory(const std::string& path) const override;

  // The system calls behind WritableFile (errno is set on failure, as by the calls themselves).
  virtual ssize_t SysWrite(int fd, const void* data, size_t size);
  virtual int SysFsync(int fd);
  virtual int SysRename(const char* from, const char* to);
  virtual int SysLink(const char* from, const char* to);

 private:
  Result<std::unique_ptr<WritableFile>> NewTemporaryBeside(const std::string& path, Publish publish);
};

// An in-memory file system for tests.
class MemoryFileSystem : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override;
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  // Fails: a file in memory cannot be written by name.
  using FileSystem::NewStagedFile;
  Result<std::unique_ptr<WritableFile>> NewStagedFile(const std::string& path, Publish publish) override;
  Result<std::vector<std::string>> ListFiles(const std::string& dir, const std::string& suffix) const override;
  bool IsDirectory(const std::string& path) const override;

  std::map<std::string, std::string> files;
};

}  // namespace shindan
