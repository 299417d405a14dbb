// Runs a cleanup when the scope ends, whether by return or by exception.
#pragma once

#include <utility>

namespace jormun {

// REQUIRES: `F` does not throw (it may run during stack unwinding).
template <typename F>
class ScopeExit {
 public:
  explicit ScopeExit(F f) : f_(std::move(f)) {}
  ~ScopeExit() { f_(); }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

 private:
  F f_;
};

}  // namespace jormun
