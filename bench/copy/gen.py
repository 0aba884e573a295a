#!/usr/bin/env python3
"""Deterministic inputs for bench/copy.

  gen.py fat  DIR MIB    about MIB MiB in 40 package-like directories: per package one
                          incompressible "binary" (like compressed or encrypted data), two
                          text files of varied words (like docs and scripts), 60 small files,
                          a nested tree and a relative symlink
  gen.py slow DIR COUNT  COUNT small directories of 1-4 KiB each (3 files and a symlink)
"""
import os
import random
import sys

WORDS = None


def words(rng):
    global WORDS
    if WORDS is None:
        letters = "abcdefghijklmnopqrstuvwxyz"
        WORDS = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 11))) for _ in range(20000)]
    return WORDS


def text(rng, size):
    w = words(rng)
    out = []
    n = 0
    while n < size:
        line = " ".join(rng.choices(w, k=rng.randint(4, 14))) + "\n"
        out.append(line)
        n += len(line)
    return "".join(out).encode()[:size]


def write(path, data, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def fat(root, mib):
    rng = random.Random(1)
    # 8 distinct 1 MiB text blocks, shuffled per file, so that zstd's window sees few repeats
    blocks = [text(rng, 1 << 20) for _ in range(8)]
    packages = 40
    per = mib * (1 << 20) // packages
    for i in range(packages):
        d = os.path.join(root, "pkg-%02d" % i)
        binary = per * 45 // 100
        write(os.path.join(d, "bin", "tool-%d" % i), os.urandom(binary), 0o755)
        for t in range(2):
            size = per * 25 // 100
            parts = []
            left = size
            while left > 0:
                b = blocks[rng.randrange(len(blocks))]
                start = rng.randrange(len(b) // 2)
                piece = b[start:start + min(left, len(b) - start)]
                parts.append(piece)
                left -= len(piece)
            write(os.path.join(d, "share", "doc%d.txt" % t), b"".join(parts)[:size])
        small_total = per - binary - 2 * (per * 25 // 100)
        for s in range(60):
            size = max(1, small_total // 60 + rng.randint(-512, 512))
            data = text(rng, size) if s % 3 else os.urandom(size)
            write(os.path.join(d, "lib", "m%02d" % (s // 10), "f%02d" % s), data, 0o755 if s % 7 == 0 else 0o644)
        os.symlink("../bin/tool-%d" % i, os.path.join(d, "lib", "tool"))


def slow(root, count):
    rng = random.Random(2)
    for i in range(count):
        d = os.path.join(root, "p%05d" % i)
        write(os.path.join(d, "README"), text(rng, rng.randint(200, 1500)))
        write(os.path.join(d, "bin", "run"), b"#!/bin/sh\necho %d\n" % i, 0o755)
        write(os.path.join(d, "data"), os.urandom(rng.randint(500, 2500)))
        os.symlink("bin/run", os.path.join(d, "run"))


if __name__ == "__main__":
    kind, root, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(root, exist_ok=True)
    {"fat": fat, "slow": slow}[kind](root, n)
