"""MinHash signatures (datasketch) and their LSH band keys.

MinHashLSH chooses the banding (b bands of r rows) that best separates texts above the
Jaccard threshold from those below it; we store each band as one 64-bit key, so the index
can live in a database table that every worker shares (`CampaignBucket`) and in a plain
dict while regrouping. A candidate found through a band is then checked on its shingles
(`text.is_copy`): the index only has to find, never to decide.
"""

from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.minhash import _SCHEME_DTYPES, _SCHEME_LEGACY, _SCHEME_WIDTHS, _fmix

NUM_PERM = 64
SEED = 1
# Low on purpose: a copy with a long paragraph added, or a shortened copy, has a Jaccard
# similarity near 0.4 with its form letter while still being a copy. 64 permutations in
# 28 bands of 2 rows: a pair at Jaccard 0.4 meets in a band 99 % of the time, one at 0.05
# (two comments on one subject) 7 % of the time, and is then told apart on its shingles.
LSH_THRESHOLD = 0.2


@cache
def banding() -> tuple[int, int]:
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@cache
def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED)


@cache
def _affine():
    template = _template()
    a, b = template.permutations
    return template.scheme, a, b, template.hashvalues.copy()


def signature(hashes: np.ndarray) -> np.ndarray:
    """The MinHash values of a text's shingle hashes (already stable 32-bit integers).

    The same arithmetic as datasketch's `MinHash.update_batch` with an identity hash function
    (tests/consultations/test_campaigns_signature.py holds them equal), done on the array
    at once: building a MinHash object and hashing through a Python call per shingle was a
    seventh of a regrouping's time."""
    scheme, a, b, empty = _affine()
    if not len(hashes):
        return empty
    if scheme == _SCHEME_LEGACY:
        values = hashes.astype(np.uint64)[:, None]
        permuted = ((values * a + b) % np.uint64((1 << 61) - 1)) & np.uint64((1 << 32) - 1)
    else:
        values = _fmix(hashes.astype(_SCHEME_DTYPES[scheme]), _SCHEME_WIDTHS[scheme])
        permuted = values[:, None] * a + b
    return np.minimum(empty, permuted.min(axis=0))


def bucket_keys(hashvalues: np.ndarray) -> list[int]:
    """One signed 64-bit key per band: the band's rows and its number mixed in wrapping
    64-bit arithmetic (splitmix64's finaliser), all bands at once. Stable across processes
    and machines, so every worker files and finds the same keys."""
    bands, rows = banding()
    values = np.asarray(hashvalues[: bands * rows], dtype=np.uint64).reshape(bands, rows)
    with np.errstate(over="ignore"):
        h = np.arange(1, bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        for column in range(rows):
            h = (h ^ values[:, column]) * np.uint64(0xBF58476D1CE4E5B9)
            h ^= h >> np.uint64(31)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(29)
    return h.view(np.int64).tolist()
