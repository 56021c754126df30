// The HTTP transport. cpp-httplib's header is heavy and its defaults slow (TCP_NODELAY off, a
// listen backlog of 5, keep-alive limited to 5 requests): this is the one file that includes it,
// and it sets each of those.
//
// Every request goes to WebApp::Handle through one catch-all handler per method, so the route
// table (routes.cc) is the only place that says what exists. The access log names the route's
// pattern, never the path: invitation tokens are in paths.
#include "web/server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

namespace shindan::web {

namespace {

// When the request on this worker thread was routed (the logger runs on the same thread after it).
thread_local std::chrono::steady_clock::time_point request_start;

std::string LogTime(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

HttpRequest ToRequest(const httplib::Request& req) {
  HttpRequest r;
  r.method = req.method;
  r.path = req.path;
  r.remote_addr = req.remote_addr;
  for (const auto& [k, v] : req.headers) {
    std::string key = k;
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace(std::move(key), v);
  }
  if (size_t q = req.target.find('?'); q != std::string::npos) r.query = ParseFormUrlEncoded(std::string_view(req.target).substr(q + 1));
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/x-www-form-urlencoded", 0) == 0) r.form = ParseFormUrlEncoded(req.body);
  r.body = req.body;
  return r;
}

}  // namespace

Status ParseListen(const std::string& text, ServeOptions* options) {
  std::string host = options->host, port_text = text;
  if (size_t colon = text.rfind(':'); colon != std::string::npos) {
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty()) host = "0.0.0.0";
  }
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return Status::InvalidInput("--listen '" + text + "' — expected HOST:PORT (e.g. 127.0.0.1:8080) or PORT, with a port from 0 to 65535");
  }
  options->host = host;
  options->port = port;
  return Status::Ok();
}

Status Serve(WebApp& app, const ServeOptions& options, std::ostream& access_log) {
  // SIGTERM and SIGINT are taken by one waiting thread (below), never delivered to a worker.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A client that closes its connection while we write must cost that connection, not the process
  // (the library sends without MSG_NOSIGNAL).
  signal(SIGPIPE, SIG_IGN);

  httplib::Server server;
  std::mutex log_mutex;
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(1000000);
  server.set_keep_alive_timeout(options.keep_alive_seconds);
  server.set_read_timeout(options.read_timeout_seconds, 0);
  server.set_write_timeout(options.write_timeout_seconds, 0);
  server.set_payload_max_length(options.max_body_bytes);
  const int threads = options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  int listen_fd = -1;
  server.set_socket_options([&listen_fd](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = sock;
  });

  auto handle = [&app](const httplib::Request& req, httplib::Response& res) {
    HttpRequest request = ToRequest(req);
    HttpResponse response = app.Handle(request);
    res.status = response.status;
    for (const auto& [k, v] : response.headers) res.set_header(k, v);
    res.set_content(std::move(response.body), response.content_type);
  };
  server.Get(".*", handle);
  server.Post(".*", handle);
  server.Put(".*", handle);
  server.Delete(".*", handle);
  server.Patch(".*", handle);
  // Answers the library makes itself (a bad request line, a body over the limit) get the same
  // headers and a plain body.
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) res.set_content(std::to_string(res.status) + "\n", "text/plain; charset=utf-8");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    res.set_header("Referrer-Policy", "no-referrer");
  });
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_start = std::chrono::steady_clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("500\n", "text/plain; charset=utf-8");
  });
  server.set_logger([&](const httplib::Request& req, const httplib::Response& res) {
    const auto now = std::chrono::system_clock::now();
    // From routing to the end of the handler on this worker: the server's time for the request.
    const long long us =
        request_start.time_since_epoch().count() == 0
            ? 0
            : std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - request_start).count();
    request_start = {};
    nlohmann::ordered_json line = {{"time", LogTime(now)}, {"method", req.method}, {"route", RouteTemplate(req.method, req.path)},
                           {"status", res.status}, {"us", us}};
    std::lock_guard<std::mutex> lock(log_mutex);
    access_log << line.dump() << "\n" << std::flush;
  });

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) return Status::IoError("cannot listen on " + options.host + ": no free port");
  } else if (!server.bind_to_port(options.host, port)) {
    return Status::IoError("cannot listen on " + options.host + ":" + std::to_string(port) +
                           " — is another server using it, or is the address not this machine's?");
  }
  // The library listened with a backlog of 5; listen(2) again on the same socket sets ours.
  if (listen_fd >= 0) ::listen(listen_fd, options.backlog);

  std::atomic<bool> done{false};
  std::thread waiter([&] {
    const timespec tick{0, 200 * 1000 * 1000};
    while (!done) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) {
        server.stop();
        return;
      }
    }
  });
  const std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  if (options.on_listening) options.on_listening("http://" + host + ":" + std::to_string(port) + "/");
  const bool ok = server.listen_after_bind();
  done = true;
  waiter.join();
  if (!ok) return Status::IoError("the server stopped unexpectedly");
  return Status::Ok();
}

}  // namespace shindan::web
