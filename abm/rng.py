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
