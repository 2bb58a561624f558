"""MinHash signatures (datasketch) and their LSH band keys.

MinHashLSH chooses the banding (b bands of r rows) that best separates texts above the
Jaccard threshold from those below it; we store each band as one 64-bit key, so the index
can live in a database table that every worker shares (`CampaignBucket`) and in a plain
dict while regrouping. A candidate found through a band is then checked on its shingles
(`text.is_copy`): the index only has to find, never to decide.
"""

import hashlib
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SEED = 1
# Low on purpose: a copy with a long paragraph added, or a shortened copy, has a Jaccard
# similarity near 0.4 with its form letter while still being a copy.
LSH_THRESHOLD = 0.3


@cache
def banding() -> tuple[int, int]:
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@cache
def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED)


def _identity(value):
    return value


def signature(hashes: np.ndarray) -> MinHash:
    """The MinHash of a text's shingle hashes (already stable 32-bit integers)."""
    minhash = MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        hashfunc=_identity,
        permutations=_template().permutations,
        scheme=_template().scheme,
    )
    minhash.update_batch(hashes.tolist())
    return minhash


def bucket_keys(minhash: MinHash) -> list[int]:
    """One signed 64-bit key per band (the band's number is hashed in, so one column holds
    all bands)."""
    bands, rows = banding()
    values = np.asarray(minhash.hashvalues)
    keys = []
    for band in range(bands):
        digest = hashlib.blake2b(
            band.to_bytes(2, "little") + values[band * rows : (band + 1) * rows].tobytes(),
            digest_size=8,
        ).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys
