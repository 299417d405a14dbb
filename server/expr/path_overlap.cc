#include "expr/path_overlap.h"

#include <algorithm>
#include <optional>
#include <string>

#include "expr/errors.h"

namespace jormun::expr {
namespace {

// Overlap: one path is a prefix of the other. Conflict: at the first place
// they differ, one has a name and the other a list index.
enum class PathRelation { kDisjoint, kOverlap, kConflict };

PathRelation relate(const Path& a, const Path& b) {
  const size_t n = std::min(a.elements.size(), b.elements.size());
  for (size_t i = 0; i < n; ++i) {
    if (a.elements[i].index() != b.elements[i].index()) return PathRelation::kConflict;
    if (a.elements[i] != b.elements[i]) return PathRelation::kDisjoint;
  }
  return PathRelation::kOverlap;
}

}  // namespace

void check_paths_independent(const std::vector<const Path*>& paths, ExpressionKind kind) {
  std::optional<std::string> conflict;
  for (size_t j = 1; j < paths.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      const PathRelation r = relate(*paths[i], *paths[j]);
      if (r == PathRelation::kDisjoint) continue;
      std::string detail =
          std::string(r == PathRelation::kOverlap ? "Two document paths overlap"
                                                  : "Two document paths conflict") +
          " with each other; must remove or rewrite one of these paths; path one: " +
          path_to_string(*paths[i]) + ", path two: " + path_to_string(*paths[j]);
      if (r == PathRelation::kOverlap) throw invalid_expression(kind, detail);
      if (!conflict) conflict = std::move(detail);
    }
  }
  if (conflict) throw invalid_expression(kind, *conflict);
}

}  // namespace jormun::expr
