# Sourced by scripts/check-breaking and scripts/changelog: sets $base (a git ref) and $why (how
# it was chosen). The first of: the ref given as $1; the last v* tag reachable from HEAD;
# origin/main; HEAD itself (a clone with neither; then only uncommitted edits are compared).
if [ -n "${1:-}" ]; then
  base=$1; why="$1, as asked"
elif tag=$(git describe --tags --abbrev=0 --match 'v*' 2>/dev/null); then
  base=$tag; why="the last release tag $tag"
elif git rev-parse --quiet --verify origin/main >/dev/null; then
  base=origin/main; why="origin/main (no v* release tag in this clone)"
else
  base=HEAD; why="HEAD, the last commit (no v* release tag and no origin/main in this clone)"
fi
