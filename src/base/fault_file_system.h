// A disk that fails on purpose (after LevelDB's db/fault_injection_test.cc): tests use it to check
// that a writer leaves its target untouched or complete, never half written.
#pragma once

#include <cerrno>

#include "base/file.h"

namespace shindan {

class FaultInjectingFileSystem : public PosixFileSystem {
 public:
  int fail_write = 0;          // the Nth write(2) (counted from 1) fails with EIO; 0: none
  bool short_writes = false;   // every write(2) writes at most half of what it is given (≥ 1 byte)
  long long space = -1;        // bytes the disk still takes; then ENOSPC (a full disk); -1: unlimited
  bool fail_fsync = false;     // fsync(2) fails with EIO
  bool fail_rename = false;    // rename(2) and link(2) fail with EXDEV (putting a file in place)

  int writes = 0;              // write(2) calls seen

  ssize_t SysWrite(int fd, const void* data, size_t size) override {
    ++writes;
    if (fail_write && writes == fail_write) {
      errno = EIO;
      return -1;
    }
    if (short_writes && size > 1) size /= 2;
    if (space >= 0) {
      if (space == 0) {
        errno = ENOSPC;
        return -1;
      }
      if (static_cast<long long>(size) > space) size = static_cast<size_t>(space);
      space -= static_cast<long long>(size);
    }
    return PosixFileSystem::SysWrite(fd, data, size);
  }
  int SysFsync(int fd) override {
    if (fail_fsync) {
      errno = EIO;
      return -1;
    }
    return PosixFileSystem::SysFsync(fd);
  }
  int SysRename(const char* from, const char* to) override {
    if (fail_rename) {
      errno = EXDEV;
      return -1;
    }
    return PosixFileSystem::SysRename(from, to);
  }
  int SysLink(const char* from, const char* to) override {
    if (fail_rename) {
      errno = EXDEV;
      return -1;
    }
    return PosixFileSystem::SysLink(from, to);
  }
};

}  // namespace shindan
