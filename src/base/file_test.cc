// Writing files: whole or not at all for regular files, in place for devices and pipes.
#include "base/file.h"

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

}  // namespace
}  // namespace shindan
