// Which key an operation touches: uniform, zipfian or "latest" (YCSB's names).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

namespace jormun::bench {

enum class Distribution { uniform, zipfian, latest };

// Parses "uniform", "zipfian" or "latest"; returns false on anything else.
bool parse_distribution(std::string_view text, Distribution& out);
std::string_view name_of(Distribution d);

// Zipfian ranks over [0, n) by the method of Gray et al., "Quickly
// Generating Billion-Record Synthetic Databases" (the one YCSB uses): the
// zeta sum is computed once in the constructor (O(n)), after which a draw is
// one pow(). Rank 0 is the most popular. Immutable, so shared by threads.
class Zipfian {
 public:
  // theta 0.99 is YCSB's default skew.
  explicit Zipfian(uint64_t n, double theta = 0.99);
  // `u` uniform in [0, 1).
  uint64_t rank(double u) const;

 private:
  uint64_t n_;
  double theta_, alpha_, zetan_, eta_, half_pow_theta_;
};

// Draws key indices. Immutable and shared; each connection passes its own
// random engine, so a run is reproducible from its seed.
class KeyPicker {
 public:
  // `keys`: the preloaded key space [0, keys).
  KeyPicker(Distribution d, uint64_t keys);

  // An index in [0, keys) for uniform and zipfian. For latest, an index below
  // `frontier` (the count of keys known to exist, >= keys), skewed towards
  // the most recently inserted ones.
  uint64_t pick(std::mt19937_64& rng, uint64_t frontier) const;

 private:
  Distribution distribution_;
  uint64_t keys_;
  // Absent for uniform: the zeta sum is O(keys) and only skewed picks need it.
  std::optional<Zipfian> zipfian_;
};

}  // namespace jormun::bench
