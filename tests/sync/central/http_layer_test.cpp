// The HTTP layer's pure parts: the head's bounds and framing rules judged on raw bytes as they arrive,
// bounded gzip decoding, and URL decoding of queries and forms.
#include <catch2/catch.hpp>
#include <string>

#include "http_test_support.hpp"
#include "sync/central/http/gzip_body.hpp"
#include "sync/central/http/head_scan.hpp"
#include "sync/central/http/http_message.hpp"

namespace fk {
namespace {

using central::http::HeadLimits;
using central::http::HeadVerdict;
using central::http::scan_head;

const HeadLimits kLimits{64, 3, 256};

TEST_CASE("a head is complete at its blank line, and not before", "[http][head]") {
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /next";
  const auto scan = scan_head(head, kLimits);
  CHECK(scan.verdict == HeadVerdict::Complete);
  CHECK(scan.head_size == head.find("GET /next"));
  CHECK(scan_head("GET / HTTP/1.1\r\nHost: a\r\n", kLimits).verdict == HeadVerdict::NeedMore);
  CHECK(scan_head("GET / HTTP/1.1\r\nHo", kLimits).verdict == HeadVerdict::NeedMore);
}

TEST_CASE("an endless request line is refused as soon as it passes its bound", "[http][head]") {
  CHECK(scan_head("GET /" + std::string(50, 'a') + " HTTP/1.1\r\n", kLimits).verdict ==
        HeadVerdict::NeedMore);
  // No line end yet, but already longer than the bound: 414 now, without waiting for more.
  CHECK(scan_head("GET /" + std::string(70, 'a'), kLimits).verdict == HeadVerdict::RequestLineTooLong);
  CHECK(scan_head("GET /" + std::string(70, 'a') + " HTTP/1.1\r\n\r\n", kLimits).verdict ==
        HeadVerdict::RequestLineTooLong);
}

TEST_CASE("too many fields or too many bytes of head are refused", "[http][head]") {
  CHECK(scan_head("GET / HTTP/1.1\r\na: 1\r\nb: 2\r\nc: 3\r\n\r\n", kLimits).verdict ==
        HeadVerdict::Complete);
  CHECK(scan_head("GET / HTTP/1.1\r\na: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n", kLimits).verdict ==
        HeadVerdict::HeadersTooLarge);
  // One endless field: refused at the byte bound, not buffered.
  CHECK(scan_head("GET / HTTP/1.1\r\na: " + std::string(300, 'x'), kLimits).verdict ==
        HeadVerdict::HeadersTooLarge);
}

TEST_CASE("obsolete line folding and bare line ends are framing errors", "[http][head]") {
  CHECK(scan_head("GET / HTTP/1.1\r\na: 1\r\n  folded\r\n\r\n", kLimits).verdict ==
        HeadVerdict::ObsoleteFolding);
  CHECK(scan_head("GET / HTTP/1.1\r\na: 1\r\n\tfolded\r\n\r\n", kLimits).verdict ==
        HeadVerdict::ObsoleteFolding);
  CHECK(scan_head("GET / HTTP/1.1\na: 1\r\n\r\n", kLimits).verdict == HeadVerdict::BadLineEnding);
  CHECK(scan_head("GET / HTTP/1.1\r\na: 1\rb: 2\r\n\r\n", kLimits).verdict == HeadVerdict::BadLineEnding);
}

TEST_CASE("gzip bodies are decoded up to the limit and no further", "[http][gzip]") {
  using central::http::gunzip_bounded;
  using central::http::GunzipResult;
  const std::string plain(100000, 'a');
  const std::string packed = test::gzip(plain);
  std::string out;
  CHECK(gunzip_bounded(packed, plain.size(), out) == GunzipResult::Ok);
  CHECK(out == plain);
  // A bomb: small on the wire, over the limit once decoded.
  CHECK(gunzip_bounded(packed, plain.size() - 1, out) == GunzipResult::TooLarge);
  CHECK(out.empty());
  CHECK(gunzip_bounded(packed.substr(0, packed.size() / 2), plain.size(), out) == GunzipResult::Corrupt);
  CHECK(gunzip_bounded("not gzip at all", plain.size(), out) == GunzipResult::Corrupt);
  CHECK(gunzip_bounded(packed + "trailing", plain.size(), out) == GunzipResult::Corrupt);
}

TEST_CASE("queries and forms are URL-decoded, '+' a space, repeats kept", "[http][url]") {
  const auto params = central::http::parse_url_encoded("a=1&b=x%20y+z&a=2&empty=&flag&%zz=bad%2");
  CHECK(params.count("a") == 2);
  CHECK(params.find("b")->second == "x y z");
  CHECK(params.find("empty")->second.empty());
  CHECK(params.find("flag")->second.empty());
  CHECK(params.find("%zz")->second == "bad%2");  // a malformed escape is kept as it came
  CHECK(central::http::percent_decode("/api%2Fv1+x") == "/api/v1+x");
}

}  // namespace
}  // namespace fk
