"""Named random streams (ARCHITECTURE.md §Randomness, contract).

Every mechanism draws from its own stream, derived from the run's seed and the stream's *name*, not from the
order in which streams are created. Switching a mechanism or a policy off therefore leaves every other stream
untouched: a baseline and a variant with the same seed see the same people, vacancies and shocks (common
random numbers). The Mesa model's own `model.rng` supplies the root entropy when no seed is given.
"""

from __future__ import annotations

import zlib

import numpy as np


class RandomStreams:
    """A lazily created `numpy.random.Generator` per mechanism name, all children of one root SeedSequence."""

    def __init__(self, seed: int):
        self.seed = int(seed)
        self._streams: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        stream = self._streams.get(name)
        if stream is None:
            key = zlib.crc32(name.encode("utf-8"))
            seq = np.random.SeedSequence(entropy=self.seed, spawn_key=(key,))
            stream = np.random.Generator(np.random.PCG64(seq))
            self._streams[name] = stream
        return stream


def bernoulli_indices(rng: np.random.Generator, n: int, p: float) -> np.ndarray:
    """Positions 0..n-1 each chosen independently with probability p, drawn in O(number chosen).

    Gaps between chosen positions are geometric, so a rare event among a million people costs a few draws
    instead of a million uniforms.
    """
    if n <= 0 or p <= 0:
        return np.zeros(0, dtype=np.int64)
    if p >= 1:
        return np.arange(n, dtype=np.int64)
    expected = n * p
    size = int(expected + 6 * np.sqrt(expected) + 16)
    pos = np.cumsum(rng.geometric(p, size)) - 1
    while pos[-1] < n - 1:  # rarely: draw more gaps
        more = np.cumsum(rng.geometric(p, size)) + pos[-1]
        pos = np.concatenate([pos, more])
    return pos[pos < n]

