// Writing files: whole or not at all for regular files, in place for devices and pipes.
#include "base/file.h"

#include "base/fault_file_system.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

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

TEST(DiskWriteFile, WritesIntoAPipeInsteadOfReplacingIt) {
  // `-o /dev/stdout` or a named pipe: renaming a temporary file over it would turn it into a
  // regular file (it once replaced /dev/null on a test machine).
  const std::string dir = TempDir("fifo");
  const std::string fifo = dir + "/pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    received = ss.str();
  });
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
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    received = ss.str();
  });
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
