"""One row by primary key, with its SQL compiled once per process.

Some reads happen on every request (the signed-in account, the page a cached route names):
the ORM compiles the same `SELECT … WHERE pk = %s` each time, which costs more CPU than the
query itself on PostgreSQL. `by_pk` compiles it once per model, database and fixed filters,
then runs the SQL, applies the same converters the ORM would (JSON, dates, booleans on
SQLite…) and builds the instance with `Model.from_db`, as the ORM does: the object is the one
`Model.objects.filter(pk=pk, **filters).first()` would give.
"""

from dataclasses import dataclass

from django.db import connections, router

# An id no row has: compiled into the SQL, then found among its parameters.
_PLACEHOLDER = -731_951_321  # within 32 bits: an out-of-range id compiles to nothing


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple
    pk_index: int  # where the primary key goes among the parameters
    columns: slice  # the model's columns in the row
    attnames: list
    converters: list  # [(position, converters, expression)], as the compiler applies them


_PLANS: dict[tuple, _Plan] = {}


def _plan(model, db: str, filters: dict) -> _Plan:
    query = model._base_manager.db_manager(db).filter(pk=_PLACEHOLDER, **filters).order_by()
    compiler = query.query.get_compiler(using=db)
    sql, params = compiler.as_sql()
    info = compiler.klass_info
    fields = info["select_fields"]
    columns = slice(fields[0], fields[-1] + 1)
    if info.get("related_klass_infos") or fields != list(range(columns.start, columns.stop)):
        raise ValueError(f"by_pk: {model.__name__} does not read as one block of columns")
    expressions = [column[0] for column in compiler.select]
    converters = [
        (position, functions, expression)
        for position, (functions, expression) in compiler.get_converters(expressions).items()
    ]
    return _Plan(
        sql=sql,
        params=tuple(params),
        pk_index=list(params).index(_PLACEHOLDER),
        columns=columns,
        attnames=[column[0].target.attname for column in compiler.select[columns]],
        converters=converters,
    )


def by_pk(model, pk: int, **filters):
    """`model.objects.filter(pk=pk, **filters).first()` (filters: constants, such as
    live=True), or None. Keys of other types, or beyond 32 bits, take the ORM."""
    if type(pk) is not int or not -(2**31) < pk < 2**31:
        # The ORM knows each key's range (an id too large for the column finds nothing).
        return model._base_manager.filter(pk=pk, **filters).first()
    db = router.db_for_read(model)
    key = (model, db, tuple(sorted(filters.items())))
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _plan(model, db, filters)
    params = list(plan.params)
    params[plan.pk_index] = pk
    connection = connections[db]
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for position, functions, expression in plan.converters:
        value = row[position]
        for convert in functions:
            value = convert(value, expression, connection)
        row[position] = value
    return model.from_db(db, plan.attnames, row[plan.columns])
