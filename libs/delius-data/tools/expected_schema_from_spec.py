#!/usr/bin/env python3
"""Derive the expected Delius dev/test column list from the schema specification.

Parses the markdown column tables of /work/shared/specs/delius-schema.md (sections 3-10) and prints
one TSV line per column:

    table <TAB> column <TAB> data_type (as information_schema.columns.data_type) <TAB> is_nullable

sorted, with a header line. The output is committed as libs/delius-data/tests/expected-schema.tsv and
compared with information_schema.columns after the migrations have run. This script deliberately does
not look at the SQL migrations: it is an independent reading of the spec.

Usage: expected_schema_from_spec.py [SPEC_PATH] > libs/delius-data/tests/expected-schema.tsv
"""
import re
import sys

DEFAULT_SPEC = "/work/shared/specs/delius-schema.md"

TYPE_MAP = [
    (re.compile(r"^bigint$"), "bigint"),
    (re.compile(r"^smallint$"), "smallint"),
    (re.compile(r"^integer$"), "integer"),
    (re.compile(r"^varchar\(\d+\)$"), "character varying"),
    (re.compile(r"^char\(\d+\)$"), "character"),
    (re.compile(r"^text$"), "text"),
    (re.compile(r"^date$"), "date"),
    (re.compile(r"^timestamp$"), "timestamp without time zone"),
    (re.compile(r"^time$"), "time without time zone"),
    (re.compile(r"^numeric\(\d+,\s*\d+\)$"), "numeric"),
]

TABLE_HEADING = re.compile(r"^###\s+(.*)$")
SECTION_HEADING = re.compile(r"^##\s+(\d+)\.")
BACKTICKED = re.compile(r"`([a-z_][a-z0-9_]*)`")
IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def cells(line):
    line = line.strip()
    assert line.startswith("|") and line.endswith("|"), line
    return [c.strip() for c in line[1:-1].split("|")]


def pg_type(spec_type, where):
    t = spec_type.strip().strip("`").lower()
    for pattern, name in TYPE_MAP:
        if pattern.match(t):
            return name
    raise SystemExit(f"unknown type {spec_type!r} at {where}")


def nullable(spec_null, where):
    n = spec_null.strip().lower()
    if n == "no":
        return "NO"
    if n == "yes":
        return "YES"
    raise SystemExit(f"unknown null value {spec_null!r} at {where}")


def column_names(cell, where):
    names = [c.strip().strip("`") for c in cell.split(",")]
    for n in names:
        if not IDENT.match(n):
            raise SystemExit(f"bad column name {n!r} at {where}")
    return names


def parse(path):
    rows = {}  # (table, column) -> (type, nullable)
    section = None
    heading_tables = []
    header = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for lineno, line in enumerate(lines, 1):
        where = f"{path}:{lineno}"
        m = SECTION_HEADING.match(line)
        if m:
            section = int(m.group(1))
            heading_tables = []
            header = None
            continue
        if section is None or not (3 <= section <= 10):
            continue
        m = TABLE_HEADING.match(line)
        if m:
            heading_tables = BACKTICKED.findall(m.group(1))
            header = None
            continue
        if not line.strip().startswith("|"):
            header = None
            continue
        c = cells(line)
        if header is None:
            header = [h.lower() for h in c]
            continue
        if all(set(x) <= set("-: ") for x in c):
            continue  # separator row
        if header[:4] == ["column", "type", "null", "default"]:
            if len(heading_tables) != 1:
                raise SystemExit(f"column table without a single table heading at {where}")
            table = heading_tables[0]
            col_cell, type_cell, null_cell = c[0], c[1], c[2]
        elif header[:5] == ["table", "column", "type", "null", "default"]:
            table = c[0].split()[0].strip("`")
            if table not in heading_tables:
                raise SystemExit(f"table {table!r} not in heading {heading_tables} at {where}")
            col_cell, type_cell, null_cell = c[1], c[2], c[3]
        else:
            continue  # not a column table
        t = pg_type(type_cell, where)
        n = nullable(null_cell, where)
        for col in column_names(col_cell, where):
            key = (table, col)
            if key in rows and rows[key] != (t, n):
                raise SystemExit(f"conflicting definitions of {table}.{col} at {where}")
            rows[key] = (t, n)
    return rows


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SPEC
    rows = parse(path)
    out = sys.stdout
    out.write("table_name\tcolumn_name\tdata_type\tis_nullable\n")
    for (table, col) in sorted(rows):
        t, n = rows[(table, col)]
        out.write(f"{table}\t{col}\t{t}\t{n}\n")
    tables = {t for t, _ in rows}
    print(f"{len(tables)} tables, {len(rows)} columns", file=sys.stderr)


if __name__ == "__main__":
    main()
