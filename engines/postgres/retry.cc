#include "retry.h"

namespace jormun::postgres {

void backoff(int attempt) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const int shift = attempt < 9 ? attempt : 9;  // 2 ms << 8 = 512 ms at most
  const double base_ms = 2.0 * (1 << (shift - 1));
  std::uniform_real_distribution<double> jitter(0.5, 1.5);
  std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(base_ms * jitter(rng)));
}

}  // namespace jormun::postgres
