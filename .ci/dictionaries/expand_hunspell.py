#!/usr/bin/env python3
"""Expands a Hunspell dictionary (.dic + .aff) into every word form, one per
line, like Hunspell's `unmunch`, which cannot read the Arabic dictionary's
long flags and flag aliases (FLAG long, AF). Handles prefixes, suffixes,
flag aliases in words and in affix continuations; with `--cross`, the cross
products of a prefix and a suffix (25 million forms for Arabic); with
`--twofold`, also one level of continuation (70 million). Without either,
each form carries one prefix or one suffix: Tribune's filters take
proclitics off by themselves, so a prefix on a suffixed form adds little
that the check does not already see. Morphological fields are ignored.

Usage: expand_hunspell.py [--cross] [--twofold] DIC AFF > forms.txt
"""
import re
import sys


def read_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            yield line.rstrip("\n")


def split_flags(text, mode, aliases):
    if not text:
        return []
    if aliases and text.isdigit():
        return aliases[int(text) - 1]
    if mode == "long":
        return [text[i:i + 2] for i in range(0, len(text), 2)]
    if mode == "num":
        return text.split(",")
    return list(text)


def parse_aff(path):
    mode, aliases, rules, cross = "char", [], {}, {}
    lines = list(read_lines(path))
    # Aliases first: affix rules refer to them.
    for line in lines:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "FLAG" and len(parts) > 1:
            mode = parts[1]
        elif parts[0] == "AF" and len(parts) > 1 and not parts[1].isdigit():
            aliases.append(split_flags(parts[1], mode, []))
    for line in lines:
        parts = line.split()
        if len(parts) < 4 or parts[0] not in ("PFX", "SFX"):
            continue
        kind, flag = parts[0], parts[1]
        if parts[2] in ("Y", "N") and parts[3].isdigit() and len(parts) == 4:
            cross[flag] = parts[2] == "Y"
            continue
        strip = "" if parts[2] == "0" else parts[2]
        add, _, cont = parts[3].partition("/")
        add = "" if add == "0" else add
        cond = parts[4] if len(parts) > 4 else "."
        pattern = ("^" + cond) if kind == "PFX" else (cond + "$")
        try:
            regex = re.compile(pattern)
        except re.error:
            continue
        rules.setdefault(flag, []).append(
            (kind, strip, add, split_flags(cont, mode, aliases), regex))
    return mode, aliases, rules, cross


def apply(word, rule):
    kind, strip, add, _, regex = rule
    if not regex.search(word):
        return None
    if kind == "PFX":
        if strip and not word.startswith(strip):
            return None
        return add + word[len(strip):]
    if strip and not word.endswith(strip):
        return None
    return word[:len(word) - len(strip)] + add


def expand(word, flags, rules, cross, out, depth, cross_products):
    suffixed = []
    for flag in flags:
        for rule in rules.get(flag, []):
            if rule[0] != "SFX":
                continue
            form = apply(word, rule)
            if form:
                out.add(form)
                suffixed.append((form, cross.get(flag, False)))
                if rule[3] and depth > 0:
                    expand(form, rule[3], rules, cross, out, depth - 1, cross_products)
    for flag in flags:
        for rule in rules.get(flag, []):
            if rule[0] != "PFX":
                continue
            form = apply(word, rule)
            if form:
                out.add(form)
                if rule[3] and depth > 0:
                    expand(form, rule[3], rules, cross, out, depth - 1, cross_products)
            if not (cross_products and cross.get(flag, False)):
                continue
            for base, can_cross in suffixed:
                if can_cross:
                    form = apply(base, rule)
                    if form:
                        out.add(form)


def main():
    args = sys.argv[1:]
    depth = 1 if "--twofold" in args else 0
    cross_products = "--cross" in args or depth > 0
    dic, aff = [a for a in args if not a.startswith("--")]
    mode, aliases, rules, cross = parse_aff(aff)
    lines = read_lines(dic)
    next(lines, None)  # the word count
    for line in lines:
        entry = line.split("\t")[0].split(" ")[0]
        if not entry or entry.startswith("#"):
            continue
        word, _, flags = entry.partition("/")
        if not word or word.startswith(":"):
            continue
        out = {word}
        expand(word, split_flags(flags, mode, aliases), rules, cross, out, depth, cross_products)
        sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
