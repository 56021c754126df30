// For the tests only (header-only): a database of its own for one test, on SQLite (a file in a new
// temporary folder) or on the PostgreSQL server of $SHINDAN_TEST_POSTGRES_URL (a new database,
// dropped with the object), so that one test suite runs on both stores.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace shindan::test {

// postgresql://user@host:port/db?x → the same URL naming database `name`.
inline std::string WithDatabase(const std::string& url, const std::string& name) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const size_t query = url.find('?');
  if (slash == std::string::npos || (query != std::string::npos && slash > query)) {
    return url.substr(0, query) + "/" + name + (query == std::string::npos ? "" : url.substr(query));
  }
  return url.substr(0, slash) + "/" + name + (query == std::string::npos ? "" : url.substr(query));
}

// Runs `sql` on a PostgreSQL server directly; the error text, empty on success.
inline std::string PgExec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

class TestDatabase {
 public:
  // `kind` is "sqlite" or "postgresql"; `prefix` starts the folder's or the database's name.
  TestDatabase(const std::string& kind, const std::string& prefix) {
    static std::mt19937_64 rng(std::random_device{}() ^ static_cast<uint64_t>(getpid()));
    const std::string unique = prefix + std::to_string(rng() % 1000000000000ULL);
    if (kind == "sqlite") {
      dir_ = std::filesystem::path(::testing::TempDir()) / unique;
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "t.db").string();
      return;
    }
    const char* admin = std::getenv("SHINDAN_TEST_POSTGRES_URL");
    if (!admin || !*admin) {
      const char* skip = std::getenv("SHINDAN_TEST_NO_POSTGRES");
      skipped_ = skip && std::string(skip) == "1";
      error_ = "SHINDAN_TEST_POSTGRES_URL is not set (see scripts/pg-test-server.sh), or set SHINDAN_TEST_NO_POSTGRES=1";
      return;
    }
    admin_ = admin;
    error_ = PgExec(admin_, "CREATE DATABASE " + unique);
    if (!error_.empty()) return;
    database_ = unique;
    url_ = WithDatabase(admin_, database_);
  }
  // REQUIRES: every connection to the database is closed.
  ~TestDatabase() {
    if (!database_.empty()) {
      EXPECT_EQ(PgExec(admin_, "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)"), "");
    }
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  // SQLite: the test's temporary folder, which holds the database; empty for PostgreSQL.
  const std::filesystem::path& dir() const { return dir_; }
  // PostgreSQL was asked for but not configured, and SHINDAN_TEST_NO_POSTGRES=1 says to skip.
  bool skipped() const { return skipped_; }
  // Why there is no database; empty when there is one.
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path dir_;
  std::string admin_, database_, url_, error_;
  bool skipped_ = false;
};

}  // namespace shindan::test
