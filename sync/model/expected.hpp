// A small result type for operations whose failure is expected (I/O, parsing): a value or an error.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace fk {

// Failure with a message fit for a log line or a CLI.
struct Error {
  std::string message;
};

template <typename T, typename E = Error>
class Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Expected(E error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

  const E& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, E> v_;
};

// The value of an operation that succeeds with nothing to return.
struct Ok {};

}  // namespace fk
