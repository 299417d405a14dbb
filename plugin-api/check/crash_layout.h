// What the crash-atomicity check's writer process writes, shared by the
// writer (crash_writer.cc) and the checker (crash_checks.cc).
//
// Batch n puts, in two keyspaces, one key per slot: an 8-byte prefix that
// differs in its top bits from every other slot's (so an engine that shards
// on the prefix puts the slots in different shards), then n. Each value
// starts with n. Batch n also deletes the keys of batch n - kLiveBatches,
// so after batch m exactly batches m-kLiveBatches+1..m are present, each
// with all its keys.
#ifndef JORMUN_CHECK_CRASH_LAYOUT_H
#define JORMUN_CHECK_CRASH_LAYOUT_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jormun::check {

inline constexpr const char* kCrashWriterFlag = "--crash-writer";
inline constexpr int kSlots = 8;
inline constexpr uint64_t kLiveBatches = 3;
inline constexpr const char* kCrashKeyspaces[] = {"crash_a", "crash_b"};

std::string crash_key(int slot, uint64_t batch);
// The batch number a crash key or value carries, if it has the layout.
std::optional<uint64_t> batch_of_key(std::string_view key);
std::optional<uint64_t> batch_of_value(std::string_view value);
// Batch n's value for a slot: n, then filler of varying size.
std::string crash_value(int slot, uint64_t batch);

// The writer process: `jormun-engine-check --crash-writer PLUGIN DIR
// [--option key=value ...]`. Opens DIR, then writes batches 1, 2, ... (every
// fourth synced) and prints each batch number on stdout, one per line, after
// its write returned, until killed.
int crash_writer_main(int argc, char** argv);

}  // namespace jormun::check

#endif
