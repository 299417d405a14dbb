#include "key_picker.h"

#include <cmath>

namespace jormun::bench {

bool parse_distribution(std::string_view text, Distribution& out) {
  for (auto d : {Distribution::uniform, Distribution::zipfian, Distribution::latest}) {
    if (text == name_of(d)) {
      out = d;
      return true;
    }
  }
  return false;
}

std::string_view name_of(Distribution d) {
  switch (d) {
    case Distribution::uniform:
      return "uniform";
    case Distribution::zipfian:
      return "zipfian";
    case Distribution::latest:
      return "latest";
  }
  return "?";
}

Zipfian::Zipfian(uint64_t n, double theta)
    : n_(n),
      theta_(theta),
      alpha_(1.0 / (1.0 - theta)),
      zetan_(0),
      eta_(0),
      half_pow_theta_(std::pow(0.5, theta)) {
  for (uint64_t i = 1; i <= n; ++i)
    zetan_ += 1.0 / std::pow(static_cast<double>(i), theta);
  const double zeta2 = 1.0 + half_pow_theta_;
  eta_ = (1.0 - std::pow(2.0 / static_cast<double>(n), 1.0 - theta)) /
         (1.0 - zeta2 / zetan_);
}

uint64_t Zipfian::rank(double u) const {
  const double uz = u * zetan_;
  if (uz < 1.0) return 0;
  if (uz < 1.0 + half_pow_theta_) return 1;
  const auto r = static_cast<uint64_t>(static_cast<double>(n_) *
                                       std::pow(eta_ * u - eta_ + 1.0, alpha_));
  return r < n_ ? r : n_ - 1;
}

namespace {
// FNV-1a over the rank's bytes: spreads the popular ranks over the whole key
// space, as YCSB's scrambled zipfian does, instead of crowding them at the
// low indices.
uint64_t scramble(uint64_t rank) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < 8; ++i) {
    h ^= (rank >> (8 * i)) & 0xff;
    h *= 0x100000001b3ULL;
  }
  return h;
}
}  // namespace

KeyPicker::KeyPicker(Distribution d, uint64_t keys) : distribution_(d), keys_(keys) {
  if (d != Distribution::uniform) zipfian_.emplace(keys);
}

uint64_t KeyPicker::pick(std::mt19937_64& rng, uint64_t frontier) const {
  switch (distribution_) {
    case Distribution::uniform:
      return std::uniform_int_distribution<uint64_t>(0, keys_ - 1)(rng);
    case Distribution::zipfian:
      return scramble(zipfian_->rank(std::uniform_real_distribution<double>(0, 1)(rng))) %
             keys_;
    case Distribution::latest: {
      // Zipfian over the last `keys_` inserted: the tail beyond that has
      // negligible weight, so the sum never needs to grow with inserts.
      const uint64_t back =
          zipfian_->rank(std::uniform_real_distribution<double>(0, 1)(rng));
      return frontier - 1 - back;
    }
  }
  return 0;
}

}  // namespace jormun::bench
