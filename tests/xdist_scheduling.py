"""How `make test` hands the tests to its xdist workers.

Under `--dist load` (what `-n` gives) xdist sends the tests out in chunks in collection order,
so the tests of one module land on both workers, and a module that builds a world once for all
its tests (a module-scoped fixture: the URL sweep's demo world and its form discovery, the leak
matrix's world with every channel read as every role) built it on each worker that got a share,
and again whenever a worker came back to the module: three URL-sweep worlds a run, two leak
matrices.

This scheduler keeps those modules whole: each is one unit of work, given to one worker, the
largest first (xdist's loadscope ordering: units by number of tests), so their worlds are built
once per run. Every other test is a unit of its own, handed to whichever worker is free, which
also balances the end of the run. (xdist's own `--dist loadgroup` would do it with
`xdist_group` marks, but with pytest 9 it no longer sees them: it renames `item._nodeid`, which
pytest 9 does not read.)
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

# The test modules whose tests share a world built by a module-scoped fixture.
SHARED_WORLD_MODULES = frozenset(
    {
        "tests/security/test_url_sweep.py",
        "tests/security/test_leak_matrix.py",
        "tests/search/test_bad_input.py",
        "tests/search/test_languages.py",
    }
)


class SharedWorldScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in SHARED_WORLD_MODULES else nodeid
