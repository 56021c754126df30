// The request and response the web application works with: plain values, so that routes and
// pages are written (and tested) without the HTTP library, which stays inside server.cc.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shindan::web {

struct HttpRequest {
  std::string method;   // GET, POST, …
  std::string path;     // decoded path, without the query
  std::string remote_addr;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::multimap<std::string, std::string> query;
  std::multimap<std::string, std::string> form;  // application/x-www-form-urlencoded body
  std::string body;
  // Set by the router: the route's pattern ("/r/{token}/items") and its parameters.
  std::string route;
  std::map<std::string, std::string> params;

  std::string Header(const std::string& lower_name) const;
  std::string Query(const std::string& name) const;   // the first value, or ""
  std::string Form(const std::string& name) const;    // the first value, or ""
  std::vector<std::string> FormAll(const std::string& name) const;
  std::string Cookie(const std::string& name) const;  // from the Cookie header, or ""
  std::string Param(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Responses about one respondent must not be kept by a browser or proxy.
  bool no_store = false;

  static HttpResponse Redirect(const std::string& location);  // 303 See Other
  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string body);
};

// Parses an application/x-www-form-urlencoded body or query string ("a=1&b=%E3%81%82+x").
// Malformed escapes are kept as written; at most `max_fields` fields are read.
std::multimap<std::string, std::string> ParseFormUrlEncoded(std::string_view text, size_t max_fields = 1000);
// Percent-decoding ('+' is a space only when `plus_is_space`).
std::string PercentDecode(std::string_view text, bool plus_is_space);
// Percent-encoding of everything but unreserved characters (RFC 3986).
std::string PercentEncode(std::string_view text);

}  // namespace shindan::web
