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


# Test modules that need no database, handed out first: on the embedded SQLite the workers
# wait for the prepared database (tests/prepared_db.py, about 15 s of migrations) before their
# first database test, and these keep them busy meanwhile. A module listed here that comes to
# need the database only waits, as every test did before.
DATABASE_FREE_MODULES = frozenset(
    {
        "tests/config/test_settings_matrix.py",
        "tests/deploy/test_deploy_files.py",
        "tests/core/test_sanitize.py",
        "tests/core/test_glossary_zh.py",
    }
)


class SharedWorldScheduling(LoadScopeScheduling):
    def __init__(self, config, log=None):
        super().__init__(config, log)
        self._database_free_first = False
        self._positions = {}  # worker → {nodeid: its index in the worker's collection}

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if module in SHARED_WORLD_MODULES else nodeid

    def _assign_work_unit(self, node) -> None:
        if not self._database_free_first:
            self._database_free_first = True
            first = [s for s in self.workqueue if s.split("::", 1)[0] in DATABASE_FREE_MODULES]
            for scope in reversed(first):
                self.workqueue.move_to_end(scope, last=False)
        scope, work_unit = self.workqueue.popitem(last=False)
        self.assigned_work.setdefault(node, {})[scope] = work_unit
        # xdist looks each test up in the worker's collection with list.index (a scan per
        # test, 5,000 tests: seconds of the controller's CPU); a dict once per worker instead.
        positions = self._positions.get(node)
        if positions is None:
            collection = self.registered_collections[node]
            positions = self._positions[node] = {nodeid: i for i, nodeid in enumerate(collection)}
        node.send_runtest_some(
            [positions[nodeid] for nodeid, completed in work_unit.items() if not completed]
        )
