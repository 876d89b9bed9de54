#!/usr/bin/env bash
# The dictionary check: no innocent word is flagged by the word filters.
# Runs every French word form (Debian's wfrench) and every Arabic word form
# (Debian's hunspell-ar, expanded from its affix rules) through the filters
# loaded with the starter list. A flagged form must be listed in
# .ci/dictionaries/accepted.txt (a reviewed form of a listed word); any other
# is an innocent word flagged, and this script exits non-zero.
#
# Installs wfrench and hunspell-ar when missing; the expanded corpus (about
# 3 million forms, 60 MB) is built under target/dictionaries, out of git.
# Env: DICTIONARY_REPORT=FILE writes every flagged form with its explanation.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -f /usr/share/dict/french ] || missing+=(wfrench)
[ -f /usr/share/hunspell/ar.dic ] || missing+=(hunspell-ar)
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

out=target/dictionaries
mkdir -p "$out"
if [ ! -s "$out/french.txt" ] || [ /usr/share/dict/french -nt "$out/french.txt" ]; then
    cp /usr/share/dict/french "$out/french.txt"
fi
expander=.ci/dictionaries/expand_hunspell.py
if [ ! -s "$out/arabic.txt" ] || [ "$expander" -nt "$out/arabic.txt" ] ||
    [ /usr/share/hunspell/ar.dic -nt "$out/arabic.txt" ]; then
    # Hunspell's own unmunch cannot read this dictionary's long flags.
    python3 "$expander" /usr/share/hunspell/ar.dic /usr/share/hunspell/ar.aff |
        LC_ALL=C sort -u >"$out/arabic.txt.tmp"
    mv "$out/arabic.txt.tmp" "$out/arabic.txt"
fi

cargo build --locked -p tribune-bench --bin filter_corpus
report=()
[ -z "${DICTIONARY_REPORT:-}" ] || report=(--report "$DICTIONARY_REPORT")
target/debug/filter_corpus --accepted .ci/dictionaries/accepted.txt "${report[@]}" \
    "$out/french.txt" "$out/arabic.txt"
# Arabizi readings never flag French: the French forms again, with Arabic
# words whose chat spellings meet French ones added to the list.
target/debug/filter_corpus --accepted .ci/dictionaries/accepted.txt \
    --words .ci/dictionaries/extra_words.txt "$out/french.txt"
