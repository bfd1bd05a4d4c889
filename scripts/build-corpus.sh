#!/usr/bin/env bash
# Builds the benchmark corpus (../shared/bench/README.md) from bare git directories: for each
# line "owner/name  commit  date  paths" of the manifest, the commit's tree is read into a
# temporary index and checked out into CORPUS/owner+name (a snapshot may lack a few large blobs;
# those files are skipped and counted instead of stopping the build). Nothing is fetched or built:
# the git directories come from wherever you keep mirrors of the listed repositories.
#
# usage: scripts/build-corpus.sh GITDIRS_ROOT CORPUS [MANIFEST [owner/name ...]]
#   GITDIRS_ROOT  folder holding one git dir per repository: GITDIRS_ROOT/owner+name/repo or
#                 GITDIRS_ROOT/owner+name
#   CORPUS        output folder; must not be inside a git checkout (an enclosing .gitignore
#                 would hide it from tlslint and make a different test)
#   MANIFEST      the repository list (default ../shared/bench/corpus-repos.tsv beside this checkout)
#   owner/name    only these lines (default: every line)
# The 4th column is a space-separated list of git pathspecs ("." = everything).
set -euo pipefail

ROOT=${1:?usage: scripts/build-corpus.sh GITDIRS_ROOT CORPUS [MANIFEST [owner/name ...]]}
CORPUS=${2:?usage: scripts/build-corpus.sh GITDIRS_ROOT CORPUS [MANIFEST [owner/name ...]]}
TSV=${3:-$(cd "$(dirname "$0")/.." && pwd)/../shared/bench/corpus-repos.tsv}
shift $(( $# < 3 ? $# : 3 ))
ONLY=("$@")

mkdir -p "$CORPUS"
CORPUS=$(cd "$CORPUS" && pwd)
if git -C "$CORPUS" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "error: $CORPUS is inside a git checkout" >&2; exit 2
fi

rc=0
while IFS=$'\t' read -r repo commit date paths; do
  [ -z "$repo" ] && continue
  case "$repo" in \#*) continue;; esac
  if [ ${#ONLY[@]} -gt 0 ]; then
    keep=0; for o in "${ONLY[@]}"; do [ "$o" = "$repo" ] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  slug=${repo/\//+}
  gitdir=$ROOT/$slug/repo; [ -d "$gitdir" ] || gitdir=$ROOT/$slug
  if ! git --git-dir="$gitdir" cat-file -e "$commit^{tree}" 2>/dev/null; then
    echo "FAIL $repo: no git dir or commit $commit in $gitdir" >&2; rc=1; continue
  fi
  dest=$CORPUS/$slug
  rm -rf "$dest"; mkdir -p "$dest"
  idx=$(mktemp); rm -f "$idx"
  GIT_INDEX_FILE=$idx git --git-dir="$gitdir" read-tree "$commit"
  err=$(mktemp)
  if [ "${paths:-.}" = "." ]; then
    GIT_INDEX_FILE=$idx git --git-dir="$gitdir" --work-tree="$dest" checkout-index -a -f 2>"$err" || true
  else
    read -r -a specs <<<"$paths"
    ( cd "$dest" &&
      GIT_INDEX_FILE=$idx git --git-dir="$gitdir" --work-tree="$dest" ls-files -z -- "${specs[@]}" |
      GIT_INDEX_FILE=$idx git --git-dir="$gitdir" --work-tree="$dest" checkout-index -f -z --stdin ) 2>"$err" || true
  fi
  missing=$(grep -c 'unable to read sha1 file\|unable to read' "$err" || true)
  other=$(grep -vc 'unable to read' "$err" || true)
  n=$(find "$dest" -type f | wc -l)
  echo "ok   $repo $commit files=$n missing_blobs=$missing other_errors=$other"
  if [ "$other" != 0 ]; then sed 's/^/     /' "$err" | grep -v 'unable to read' | head -5 >&2; fi
  rm -f "$idx" "$err"
done < "$TSV"
exit $rc
