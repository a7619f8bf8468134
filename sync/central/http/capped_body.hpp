// A Beast body type for requests: keeps the first `keep` bytes and counts (and drops) the rest, so a body
// can be read to its end to keep the connection in step without ever holding more than the limit.
#pragma once

#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <string>

namespace fk::central::http {

struct CappedBody {
  struct value_type {
    std::string data;
    std::size_t keep = 0;  // bytes to keep; more marks `overflow` and empties `data`
    bool overflow = false;
    std::size_t seen = 0;  // bytes of body that went by
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) { ec = {}; }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      ec = {};
      std::size_t n = 0;
      for (const auto b : boost::beast::buffers_range_ref(buffers)) {
        const std::size_t size = b.size();
        if (!body_.overflow && body_.data.size() + size <= body_.keep) {
          body_.data.append(static_cast<const char*>(b.data()), size);
        } else if (!body_.overflow) {
          body_.overflow = true;
          std::string().swap(body_.data);
        }
        n += size;
      }
      body_.seen += n;
      return n;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace fk::central::http
