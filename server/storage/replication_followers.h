// The followers a primary has served (docs/replication.md): each one's id,
// the URL it gave, when it last asked for the log and how far it has
// applied each table. Their ids and URLs are kept in
// <data_dir>/replication/followers.json, so that the primary, restarted,
// can ask them whether one was promoted in its absence; the rest is of
// this run only.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace jormun::storage {

class ReplicationFollowers {
 public:
  // Reads the followers file of `data_dir` (none: no follower known).
  // Throws std::runtime_error on a file it cannot read.
  explicit ReplicationFollowers(const std::string& data_dir);

  struct Follower {
    std::string id;
    std::string url;
    int64_t last_seen_ms = 0;  // 0: not in this run
    std::map<std::string, uint64_t> applied;  // table id -> position
  };

  // Follower `id`, at `url`, asked for the log having applied `applied`.
  // Writes the file when the follower or its URL is new; a failure to write
  // it is logged, not thrown (the follower is served all the same).
  void seen(const std::string& id, const std::string& url,
            std::map<std::string, uint64_t> applied, int64_t now_ms);
  std::vector<Follower> list() const;

 private:
  void write_locked() const;

  std::string path_;
  mutable std::mutex mu_;
  std::map<std::string, Follower> followers_;
};

}  // namespace jormun::storage
