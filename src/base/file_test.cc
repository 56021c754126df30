// Writing files: whole or not at all for regular files, in place for devices and pipes.
#include "base/file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/fault_file_system.h"

namespace shindan {
namespace {

std::string TempDir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "shindan_file_" + std::to_string(getpid()) + "_" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(DiskWriteFile, ReplacesARegularFileWholeAndLeavesNoTemporary) {
  const std::string dir = TempDir("regular");
  const std::string path = dir + "/out.txt";
  ASSERT_TRUE(FileSystem::Disk().WriteFile(path, "first").ok());
  ASSERT_TRUE(FileSystem::Disk().WriteFile(path, "second").ok());
  EXPECT_EQ(FileSystem::Disk().ReadFile(path).value(), "second");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  std::filesystem::remove_all(dir);
}

// A reader of the FIFO `fifo`, as the other end of `-o PIPE` would be: all it reads goes to *received
// (join the thread before looking).
std::thread DrainFifoInBackground(const std::string& fifo, std::string* received) {
  return std::thread([fifo, received] {
    std::ifstream in(fifo, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    *received = ss.str();
  });
}

TEST(DiskWriteFile, WritesIntoAPipeInsteadOfReplacingIt) {
  // `-o /dev/stdout` or a named pipe: renaming a temporary file over it would turn it into a
  // regular file (it once replaced /dev/null on a test machine).
  const std::string dir = TempDir("fifo");
  const std::string fifo = dir + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader = DrainFifoInBackground(fifo, &received);
  Status s = FileSystem::Disk().WriteFile(fifo, "through the pipe");
  reader.join();
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(received, "through the pipe");
  EXPECT_TRUE(std::filesystem::is_fifo(fifo)) << "the pipe is still a pipe";
  EXPECT_FALSE(std::filesystem::exists(fifo + ".tmp"));
  std::filesystem::remove_all(dir);
}

// Files in `dir` other than `keep`: a failed write must leave no temporary file behind.
std::vector<std::string> Leftovers(const std::string& dir, const std::string& keep) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename() != keep) out.push_back(e.path().filename().string());
  }
  return out;
}

std::string Big() {
  std::string s;
  for (int i = 0; i < 20000; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

// Writes Big() over a file holding "old" through `fs` and returns the status; the file must then
// hold "old" or all of Big(), and nothing else may be left in the folder.
Status WriteOverOld(FileSystem& fs, const std::string& name, std::string* after, std::vector<std::string>* leftovers) {
  const std::string dir = TempDir(name);
  const std::string path = dir + "/out.txt";
  std::ofstream(path) << "old";
  Result<std::unique_ptr<WritableFile>> file = fs.NewWritableFile(path);
  Status s = file.status();
  const std::string big = Big();
  for (size_t at = 0; s.ok() && at < big.size(); at += 4096) s = (*file)->Append(std::string_view(big).substr(at, 4096));
  if (s.ok()) s = (*file)->Commit();
  file = Status::Internal("closed");  // destroys the writable file: an uncommitted one cleans up
  *after = FileSystem::Disk().ReadFile(path).value();
  *leftovers = Leftovers(dir, "out.txt");
  std::filesystem::remove_all(dir);
  return s;
}

TEST(FaultInjection, AFailedWriteLeavesTheOldFileAndNoTemporary) {
  FaultInjectingFileSystem fs;
  fs.fail_write = 3;
  std::string after;
  std::vector<std::string> leftovers;
  Status s = WriteOverOld(fs, "fail3", &after, &leftovers);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_NE(s.message().find("write failed (Input/output error)"), std::string::npos) << s.message();
  EXPECT_EQ(after, "old");
  EXPECT_TRUE(leftovers.empty()) << leftovers.front();
}

TEST(FaultInjection, ShortWritesAreContinuedAndTheFileIsComplete) {
  FaultInjectingFileSystem fs;
  fs.short_writes = true;
  std::string after;
  std::vector<std::string> leftovers;
  Status s = WriteOverOld(fs, "short", &after, &leftovers);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(after, Big());
  EXPECT_GT(fs.writes, 20);
  EXPECT_TRUE(leftovers.empty());
}

TEST(FaultInjection, AFullDiskLeavesTheOldFile) {
  FaultInjectingFileSystem fs;
  fs.space = 10000;  // half a write fits, then ENOSPC
  std::string after;
  std::vector<std::string> leftovers;
  Status s = WriteOverOld(fs, "full", &after, &leftovers);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.message();
  EXPECT_EQ(after, "old");
  EXPECT_TRUE(leftovers.empty());
}

TEST(FaultInjection, AFailedFsyncOrRenameLeavesTheOldFile) {
  for (int which = 0; which < 2; ++which) {
    FaultInjectingFileSystem fs;
    (which ? fs.fail_rename : fs.fail_fsync) = true;
    std::string after;
    std::vector<std::string> leftovers;
    Status s = WriteOverOld(fs, which ? "rename" : "fsync", &after, &leftovers);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find(which ? "cannot replace" : "cannot flush to disk"), std::string::npos) << s.message();
    EXPECT_EQ(after, "old");
    EXPECT_TRUE(leftovers.empty());
  }
}

// Regression: with standard output redirected to a file, -o /dev/stdout renamed a temporary file
// over the link /dev/stdout (as root, it became a regular file). A descriptor this process has open
// is written through a duplicate, at its offset, and the link stays a link.
TEST(DiskWriteFile, AnOpenDescriptorIsWrittenThroughAndItsLinkStays) {
  const std::string dir = TempDir("own_fd");
  const std::string file = dir + "/redirected.txt";
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "before,", 7), 7);
  const std::string link = dir + "/stdout";  // as /dev/stdout → /proc/self/fd/1
  std::filesystem::create_symlink("/proc/self/fd/" + std::to_string(fd), link);
  Status s = FileSystem::Disk().WriteFile(link, " through the link,");
  ASSERT_TRUE(s.ok()) << s.message();
  s = FileSystem::Disk().WriteFile("/dev/fd/" + std::to_string(fd), " through /dev/fd,");
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(::write(fd, " after", 6), 6);
  Result<std::unique_ptr<WritableFile>> staged = FileSystem::Disk().NewStagedFile(link);
  ASSERT_FALSE(staged.ok()) << "a file built by name cannot go through a descriptor";
  EXPECT_EQ(staged.status().code(), Status::Code::kInvalidInput);
  ::close(fd);
  EXPECT_EQ(FileSystem::Disk().ReadFile(file).value(), "before, through the link, through /dev/fd, after");
  EXPECT_TRUE(std::filesystem::is_symlink(link)) << "the link was replaced";
  EXPECT_EQ(Leftovers(dir, "redirected.txt"), std::vector<std::string>{"stdout"});
  std::filesystem::remove_all(dir);
}

TEST(DiskWriteFile, DevNullStaysADevice) {
  ASSERT_TRUE(FileSystem::Disk().WriteFile("/dev/null", "nothing").ok());
  struct stat st;
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null was replaced by a regular file";
}

TEST(DiskWriteFile, AStagedFileIsCopiedIntoAPipe) {
  // libxlsxwriter writes by name: the staging file is delivered into the pipe at Commit().
  const std::string dir = TempDir("stage");
  const std::string fifo = dir + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader = DrainFifoInBackground(fifo, &received);
  Result<std::unique_ptr<WritableFile>> file = FileSystem::Disk().NewWritableFile(fifo);
  ASSERT_TRUE(file.ok()) << file.status().message();
  Result<std::string> staging = (*file)->StagingPath();
  ASSERT_TRUE(staging.ok());
  std::ofstream(*staging, std::ios::binary) << "written by name";
  Status s = (*file)->Commit();
  file = Status::Internal("closed");
  reader.join();
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(received, "written by name");
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  EXPECT_FALSE(std::filesystem::exists(*staging)) << "the staging file is removed";
  std::filesystem::remove_all(dir);
}

// A staged file is built by name (as SQLite builds a backup) and renamed over the target whole.
TEST(DiskStagedFile, ReplacesARegularFileWholeAndLeavesNoTemporary) {
  const std::string dir = TempDir("staged");
  const std::string path = dir + "/out.db";
  std::ofstream(path) << std::string(100000, 'x');  // longer than what replaces it
  Result<std::unique_ptr<WritableFile>> file = FileSystem::Disk().NewStagedFile(path);
  ASSERT_TRUE(file.ok()) << file.status().message();
  Result<std::string> staging = (*file)->StagingPath();
  ASSERT_TRUE(staging.ok());
  EXPECT_EQ(std::filesystem::path(*staging).parent_path(), std::filesystem::path(dir)) << "beside the target";
  EXPECT_EQ(FileSystem::Disk().ReadFile(*staging).value(), "") << "created, empty";
  std::ofstream(*staging, std::ios::binary) << "built by name";
  EXPECT_EQ(FileSystem::Disk().ReadFile(path).value(), std::string(100000, 'x')) << "untouched until Commit";
  ASSERT_TRUE((*file)->Commit().ok());
  EXPECT_EQ((*file)->bytes(), 13u);
  file = Status::Internal("closed");
  EXPECT_EQ(FileSystem::Disk().ReadFile(path).value(), "built by name");
  EXPECT_TRUE(Leftovers(dir, "out.db").empty());
  std::filesystem::remove_all(dir);
}

// Publish::kIfAbsent (a new database `import` builds privately): the file takes the path only
// when nothing is there; one that appeared meanwhile is left as it was.
TEST(DiskStagedFile, PublishedIfAbsentNeverReplacesAFile) {
  const std::string dir = TempDir("staged_absent");
  const std::string path = dir + "/new.db";
  Result<std::unique_ptr<WritableFile>> file = FileSystem::Disk().NewStagedFile(path, FileSystem::Publish::kIfAbsent);
  ASSERT_TRUE(file.ok()) << file.status().message();
  std::ofstream(*(*file)->StagingPath(), std::ios::binary) << "mine";
  ASSERT_TRUE((*file)->Commit().ok());
  file = Status::Internal("closed");
  EXPECT_EQ(FileSystem::Disk().ReadFile(path).value(), "mine");
  EXPECT_TRUE(Leftovers(dir, "new.db").empty()) << "the private name is gone";

  file = FileSystem::Disk().NewStagedFile(path, FileSystem::Publish::kIfAbsent);
  ASSERT_TRUE(file.ok());
  std::ofstream(*(*file)->StagingPath(), std::ios::binary) << "second";
  Status s = (*file)->Commit();
  file = Status::Internal("closed");
  EXPECT_EQ(s.code(), Status::Code::kIoError);
  EXPECT_EQ(s.message(), path + ": cannot create (File exists)");
  EXPECT_EQ(FileSystem::Disk().ReadFile(path).value(), "mine") << "the file there is left as it was";
  EXPECT_TRUE(Leftovers(dir, "new.db").empty());

  FaultInjectingFileSystem fs;
  fs.fail_rename = true;
  const std::string other = dir + "/other.db";
  file = fs.NewStagedFile(other, FileSystem::Publish::kIfAbsent);
  ASSERT_TRUE(file.ok());
  std::ofstream(*(*file)->StagingPath(), std::ios::binary) << "x";
  EXPECT_FALSE((*file)->Commit().ok()) << "a file system without hard links";
  file = Status::Internal("closed");
  EXPECT_FALSE(std::filesystem::exists(other));
  EXPECT_EQ(Leftovers(dir, "new.db"), std::vector<std::string>()) << "no private file left";
  std::filesystem::remove_all(dir);
}

TEST(DiskStagedFile, RefusesAPipeOrADeviceAndLeavesItAsItWas) {
  const std::string dir = TempDir("staged_fifo");
  const std::string fifo = dir + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& path : {fifo, std::string("/dev/null")}) {
    // No reader is waiting on the FIFO: opening it for writing would block, so it must not be opened.
    Result<std::unique_ptr<WritableFile>> file = FileSystem::Disk().NewStagedFile(path);
    ASSERT_FALSE(file.ok()) << path;
    EXPECT_EQ(file.status().code(), Status::Code::kInvalidInput);
    EXPECT_EQ(
        file.status().message(),
        path +
            ": パイプ、デバイス、または /dev/stdout のような開いているファイルです — 通常のファイルのパスを指定してく"
            "ださい（全体を作ってから置き換えるため） / a pipe, a device or an open file such as /dev/stdout — "
            "expected the path of a regular file (this file is built whole, then renamed into place)");
  }
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
  EXPECT_TRUE(Leftovers(dir, "pipe").empty());
  struct stat st;
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  Result<std::unique_ptr<WritableFile>> folder = FileSystem::Disk().NewStagedFile(dir);
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().code(), Status::Code::kIoError);
  EXPECT_EQ(folder.status().message(), dir + ": cannot open for writing (Is a directory)");
  std::filesystem::remove_all(dir);
}

TEST(FaultInjection, AStagedFileWhoseRenameOrFsyncFailsLeavesTheOldFile) {
  for (int which = 0; which < 2; ++which) {
    FaultInjectingFileSystem fs;
    (which ? fs.fail_rename : fs.fail_fsync) = true;
    const std::string dir = TempDir(which ? "staged_rename" : "staged_fsync");
    const std::string path = dir + "/out.db";
    std::ofstream(path) << "old";
    Result<std::unique_ptr<WritableFile>> file = fs.NewStagedFile(path);
    ASSERT_TRUE(file.ok()) << file.status().message();
    std::ofstream(*(*file)->StagingPath(), std::ios::binary) << "new";
    Status s = (*file)->Commit();
    file = Status::Internal("closed");
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find(which ? path + ": cannot replace (Invalid cross-device link)"
                                     : ": cannot flush to disk (Input/output error)"),
              std::string::npos)
        << s.message();
    EXPECT_EQ(FileSystem::Disk().ReadFile(path).value(), "old");
    EXPECT_TRUE(Leftovers(dir, "out.db").empty());
    std::filesystem::remove_all(dir);
  }
}

// Regression: a directory (or a read error) was read as an empty text, so commands said "empty —
// expected a header row" and exited 2; it is a file that cannot be read.
TEST(DiskReadFile, ADirectoryIsAnIoErrorNotAnEmptyText) {
  const std::string dir = TempDir("readdir");
  Result<std::string> r = FileSystem::Disk().ReadFile(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
  EXPECT_EQ(r.status().message(), dir + ": cannot read (Is a directory) — expected a file");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace shindan
