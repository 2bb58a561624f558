"""The campaign index's MinHash (consultations/campaigns/signature.py) computes on arrays
what datasketch computes one shingle at a time: the band keys already stored in
`CampaignBucket` must keep meaning the same texts after a datasketch upgrade."""

import numpy as np
from datasketch import MinHash

from consultations.campaigns import signature as sig
from consultations.campaigns import text

from . import campaign_texts as T


def _datasketch(hashes):
    minhash = MinHash(num_perm=sig.NUM_PERM, seed=sig.SEED, hashfunc=lambda value: value)
    minhash.update_batch(hashes.tolist())
    return minhash.hashvalues


def test_array_minhash_equals_datasketchs_for_english_chinese_and_mixed_texts():
    for body in (T.LETTER_EN, T.LETTER_ZH, T.LETTER_EN + T.LETTER_ZH, "OK", "玉米"):
        hashes = text.shingle_hashes(body)
        assert np.array_equal(sig.signature(hashes), _datasketch(hashes))


def test_same_text_same_band_keys_and_a_copy_shares_bands_an_unrelated_text_does_not():
    letter = sig.bucket_keys(sig.signature(text.shingle_hashes(T.LETTER_EN)))
    again = sig.bucket_keys(sig.signature(text.shingle_hashes(T.LETTER_EN)))
    copy = sig.bucket_keys(sig.signature(text.shingle_hashes(T.GREETING_CHANGED_EN)))
    other = sig.bucket_keys(sig.signature(text.shingle_hashes(T.SAME_SUBJECT_EN)))
    assert letter == again and len(letter) == sig.banding()[0]
    assert len(set(letter) & set(copy)) >= 10
    assert len(set(letter) & set(other)) <= 2


def test_a_text_without_words_has_no_shingles():
    assert len(text.shingle_hashes("?!… —— ！？。")) == 0
