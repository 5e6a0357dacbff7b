#!/usr/bin/env python3
"""Writes a small two-class shapes data set with a decoy, in the `folder` data set layout.

    python3 experiments/folder-example/make_data.py OUT [--train-per-class 150] [--test-per-class 50]

Class `circle` and class `square`: a filled grey shape on a noisy background, 32x32 grey PNGs.
At training time a bright 3x3 dot in a top corner encodes the class (circle: left, square: right):
a shortcut a model can use instead of the shape. In the test folder the dot is in a random top
corner, so a model that uses it scores about 50%. Each image's mask allows the shape's bounding box
(grown by one pixel) and forbids the rest, dot included.

Writes OUT/train, OUT/train-clean (the same images without dots: the reference) and OUT/test, each
as <split>/<class>/NNNN.png with masks at <split>/masks/<class>/NNNN.png.
Python 3 standard library only: PNGs are written with zlib and struct.
"""
import argparse
import pathlib
import random
import struct
import zlib

SIDE = 32
CLASSES = ("circle", "square")


def write_png(path, rows):
    """Writes an 8-bit greyscale PNG; rows is a list of lists of ints in 0..255."""
    height, width = len(rows), len(rows[0])

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    # Each scanline starts with filter type 0 (none).
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit, colour type 0 = grey
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
                     + chunk(b"IEND", b""))


def sample(rng, label, dot):
    """One image and its mask. dot: None, 'left' or 'right'."""
    image = [[rng.randint(0, 40) for _ in range(SIDE)] for _ in range(SIDE)]
    mask = [[0] * SIDE for _ in range(SIDE)]
    radius = rng.randint(4, 7)
    cy, cx = rng.randint(11, 20), rng.randint(11, 20)
    shade = rng.randint(120, 200)
    for y in range(SIDE):
        for x in range(SIDE):
            if CLASSES[label] == "circle":
                inside = (y - cy) ** 2 + (x - cx) ** 2 <= radius ** 2
            else:
                inside = abs(y - cy) <= radius - 1 and abs(x - cx) <= radius - 1
            if inside:
                image[y][x] = shade
            # Allowed: the shape's bounding box grown by one pixel (well away from the dots).
            if abs(y - cy) <= radius + 1 and abs(x - cx) <= radius + 1:
                mask[y][x] = 255
    if dot is not None:
        x0 = 0 if dot == "left" else SIDE - 3
        for y in range(3):
            for x in range(x0, x0 + 3):
                image[y][x] = 255
    return image, mask


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=pathlib.Path, help="output folder")
    parser.add_argument("--train-per-class", type=int, default=150)
    parser.add_argument("--test-per-class", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for label, name in enumerate(CLASSES):
        for i in range(args.train_per_class):
            state = rng.getstate()
            image, mask = sample(rng, label, dot=("left", "right")[label])  # the dot tells the class
            rng.setstate(state)
            clean, _ = sample(rng, label, dot=None)  # same draws, no dot
            for split, pixels in (("train", image), ("train-clean", clean)):
                write_png(args.out / split / name / f"{i:04d}.png", pixels)
                write_png(args.out / split / "masks" / name / f"{i:04d}.png", mask)
        for i in range(args.test_per_class):
            image, mask = sample(rng, label, dot=rng.choice(("left", "right")))  # the dot lies half the time
            write_png(args.out / "test" / name / f"{i:04d}.png", image)
            write_png(args.out / "test" / "masks" / name / f"{i:04d}.png", mask)
    total = len(CLASSES) * (2 * args.train_per_class + args.test_per_class)
    print(f"wrote {total} images with masks to {args.out}/train, train-clean and test")


if __name__ == "__main__":
    main()
