// `shindan serve`: the web application behind HTTP (Debian's cpp-httplib 0.11, used only in
// server.cc), tuned as issue 11 measured: TCP_NODELAY, a real listen backlog, enough workers for
// keep-alive connections.
#pragma once

#include <atomic>
#include <functional>
#include <ostream>
#include <string>

#include "base/status.h"
#include "web/app.h"

namespace shindan::web {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 64;                 // workers; each keep-alive connection holds one while open
  int backlog = 1024;               // listen(2) backlog
  size_t max_body_bytes = 64 * 1024;
  int read_timeout_seconds = 5;     // per read: a slow client loses its connection, not a worker forever
  int write_timeout_seconds = 5;
  int keep_alive_seconds = 5;
  // Called once the socket listens (the address printed, invitation links shown).
  std::function<void(const std::string& url)> on_listening;
};

// "HOST:PORT", ":PORT" or "PORT" → host and port; InvalidInput naming the value otherwise.
Status ParseListen(const std::string& text, ServeOptions* options);

// Serves until SIGTERM or SIGINT: then stops accepting, lets the requests in flight finish and
// returns Ok. `access_log` receives one JSON line per request (time, method, route, status, us).
Status Serve(WebApp& app, const ServeOptions& options, std::ostream& access_log);

}  // namespace shindan::web
