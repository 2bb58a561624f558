"""Campaigns (issue 15): comments that are copies or edited copies of one text, grouped as
they arrive, with what each copy adds; officers answer a campaign once.

text.py      tokens, shingles, the common text and what a copy adds (no database)
signature.py MinHash signatures and LSH band keys (datasketch)
placement.py placing one new comment (after its submission commits)
regroup.py   regrouping a whole consultation, keeping officers' decisions
services.py  officers' decisions: respond once, split, merge, not a campaign
selectors.py reads: campaigns for officers, the public grouping, statistics
"""
