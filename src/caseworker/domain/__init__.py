"""Plain data and rules of what a centre counts: periods, the catalogue, counts, tally forms.

Nothing here touches Qt, the store or the network: every module is pure Python and
deterministic, so the layers above (stats, storage, sync, reports, ui) can trust and test it.
"""
