"""Named random streams (ARCHITECTURE.md §Randomness, contract).

Every mechanism draws from its own stream, derived from the run's seed and the stream's *name*, not from the
order in which streams are created. Switching a mechanism or a policy off therefore leaves every other stream
untouched: a baseline and a variant with the same seed see the same people, vacancies and shocks (common
random numbers). The Mesa model's own `model.rng` supplies the root entropy when no seed is given.
"""

from __future__ import annotations

import zlib

import numpy as np

from abm.jit import jit


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


# --- draws per person: a counter-based generator (ARCHITECTURE.md §Randomness) ------------------------------
#
# A draw is a pure function of (seed, mechanism, month, id, draw number): a 64-bit hash (the SplitMix64
# finaliser, Steele, Lea & Flood 2014, applied twice) of a stream key made from the seed, the mechanism's name
# and the month, and of the person's (or place's, employer's, municipality's) id and the draw number. So a
# person's draws do not depend on who else draws, in what order, or on which thread: a policy that changes a
# few people's lives leaves every other person's draws as they were (common random numbers), and the results
# are the same for any number of threads.

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


def _mix_py(z: int) -> int:
    mask = (1 << 64) - 1
    z &= mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return z ^ (z >> 31)


def stream_key(seed: int, name: str, month: int) -> np.uint64:
    """The key of one mechanism's draws in one month of a run with this seed."""
    z = _mix_py(int(seed) ^ _mix_py(zlib.crc32(name.encode("utf-8")) * 0x9E3779B97F4A7C15))
    return np.uint64(_mix_py(z ^ _mix_py(int(month) + 0x632BE59BD9B4E019)))


@jit
def mix64(z):
    """SplitMix64's finaliser: a bijective 64-bit hash with full avalanche."""
    z = z ^ (z >> _S30)
    z = z * _M1
    z = z ^ (z >> _S27)
    z = z * _M2
    return z ^ (z >> _S31)


@jit
def uniform(key, ident, k):
    """A uniform number in [0, 1): draw `k` of the person (or place) `ident` under stream `key`."""
    z = mix64(key ^ mix64(np.uint64(ident) * _GOLDEN + np.uint64(k)))
    return float(z >> _S11) * _TO_UNIT


@jit
def normal(key, ident, k):
    """A standard normal number (Box-Muller on the uniforms 2k and 2k + 1 of the same key and id)."""
    u1 = uniform(key, ident, 2 * k)
    u2 = uniform(key, ident, 2 * k + 1)
    return np.sqrt(-2.0 * np.log(1.0 - u1)) * np.cos(2.0 * np.pi * u2)


@jit
def poisson(lam, key, ident, k):
    """A Poisson number with mean `lam` (inversion of one uniform; means here are small)."""
    if lam <= 0.0:
        return 0
    u = uniform(key, ident, k)
    p = np.exp(-lam)
    cdf = p
    x = 0
    while u > cdf and x < 1000:
        x += 1
        p *= lam / x
        cdf += p
    return x


@jit
def binomial(n, p, key, ident, k):
    """A binomial number of `n` trials with chance `p` (inversion of one uniform: O(n p) steps)."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    u = uniform(key, ident, k)
    q = 1.0 - p
    r = p / q
    prob = q ** n
    cdf = prob
    x = 0
    while u > cdf and x < n:
        prob *= r * (n - x) / (x + 1)
        x += 1
        cdf += prob
    return x


@jit
def uniforms(key, idents, k):
    """`uniform` for many ids at once (numpy rules that need one draw per person)."""
    out = np.empty(idents.size, dtype=np.float64)
    for j in range(idents.size):
        out[j] = uniform(key, idents[j], k)
    return out
