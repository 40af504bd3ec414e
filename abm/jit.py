"""Compiled kernels: numba's `njit` with an on-disk cache.

Why: a rule written as numpy expressions makes one pass over memory per operation and allocates a temporary
for each; at a million people a rule of fifteen operations costs fifteen passes. A numba kernel is the same
rule written once per person and compiled, so it makes a single pass (measured in docs/benchmarks.md). Kernels
are small, live in the module of the mechanism whose rule they implement, and take the state columns and the
parameters as arguments. Set NUMBA_DISABLE_JIT=1 to run them as plain Python for debugging.
"""

from __future__ import annotations

import numba
import numpy as np

jit = numba.njit(cache=True, nogil=True, error_model="numpy")

# Kernels whose people are independent run their loop with `numba.prange` on every core. Their results are the
# same for any number of threads: each person's outputs depend only on that person's row and draws
# (abm/rng.py), and sums are taken over a fixed number of chunks (CHUNKS), whatever the threads.
jit_parallel = numba.njit(cache=True, nogil=True, error_model="numpy", parallel=True)
prange = numba.prange
CHUNKS = 64


@jit
def chunk_bounds(n, chunks):
    """Start of each of `chunks` equal parts of range(n) (and n at the end): a split that does not depend on the
    number of threads, for sums that must come out bit for bit the same."""
    out = np.empty(chunks + 1, dtype=np.int64)
    for c in range(chunks + 1):
        out[c] = (n * c) // chunks
    return out


@jit
def push(rows, codes, n, row, code):
    """Put (row, code) at position n of two growing buffers, doubling them when full; returns the buffers."""
    if n == rows.size:
        rows = np.concatenate((rows, np.empty(rows.size, dtype=rows.dtype)))
        codes = np.concatenate((codes, np.empty(codes.size, dtype=codes.dtype)))
    rows[n] = row
    codes[n] = code
    return rows, codes
