//! Migration parity (server tests): the SQLite and the PostgreSQL migrations describe the
//! same tables and columns. Both are run on fresh databases, and the schemas the two
//! databases report (`pragma_table_info`, `information_schema.columns`) are compared by
//! table, column, a normalised type class and nullability.

use crate::harness::Fresh;
use std::collections::BTreeMap;

/// A column as both databases can describe it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Column {
    /// `integer`, `real`, `text`, `bytes`, `boolean`, `numeric` or the declared type.
    class: String,
    not_null: bool,
}

/// Table → column → shape. Ordered, so a diff reads the same every run.
type Schema = BTreeMap<String, BTreeMap<String, Column>>;

/// SQLite's type affinity rules, roughly, applied to both databases' type names: what a
/// column holds, not how it is spelt (`INTEGER` and `bigint` are both `integer`).
fn type_class(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    let class = if t.contains("int") {
        "integer"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
        "real"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("blob") || t == "bytea" {
        "bytes"
    } else if t.contains("numeric") || t.contains("decimal") {
        "numeric"
    } else {
        return t;
    };
    class.to_owned()
}

/// Tables the migration tool keeps for itself.
fn is_bookkeeping(table: &str) -> bool {
    table.starts_with("_sqlx") || table.starts_with("sqlite_")
}

fn schema_of(rows: Vec<(String, String, String, bool)>) -> Schema {
    let mut schema = Schema::new();
    for (table, column, declared, not_null) in rows {
        if is_bookkeeping(&table) {
            continue;
        }
        schema.entry(table).or_default().insert(
            column,
            Column {
                class: type_class(&declared),
                not_null,
            },
        );
    }
    schema
}

async fn sqlite_schema(db: &app::ssr::db::Db) -> Schema {
    // A primary key column is NOT NULL in PostgreSQL; SQLite reports `notnull = 0` for it
    // (a rowid alias cannot be NULL; a TEXT key only by this schema's choice). The R*Tree
    // spatial index is a virtual table with shadow tables: an index, which is not compared
    // (PostgreSQL's indexes are not in `information_schema.columns` either).
    let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' \
           AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' \
             AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND m.name LIKE v.name || '\\_%' ESCAPE '\\') \
         ORDER BY m.name, p.cid",
    )
    .fetch_all(&db.pool)
    .await
    .expect("SQLite schema");
    schema_of(
        rows.into_iter()
            .map(|(t, c, ty, not_null, pk)| (t, c, ty, not_null == 1 || pk > 0))
            .collect(),
    )
}

async fn postgres_schema(db: &app::ssr::db::Db) -> Schema {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' \
         ORDER BY table_name, ordinal_position",
    )
    .fetch_all(&db.pool)
    .await
    .expect("PostgreSQL schema");
    schema_of(
        rows.into_iter()
            .map(|(t, c, ty, nullable)| (t, c, ty, nullable == "NO"))
            .collect(),
    )
}

/// Every difference between the two schemas, one line each; empty when they agree.
fn schema_diff(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut diff = Vec::new();
    let tables: std::collections::BTreeSet<&String> =
        sqlite.keys().chain(postgres.keys()).collect();
    for table in tables {
        let (Some(lite), Some(pg)) = (sqlite.get(table), postgres.get(table)) else {
            let only = if sqlite.contains_key(table) {
                "SQLite"
            } else {
                "PostgreSQL"
            };
            diff.push(format!("table {table}: only in the {only} migrations"));
            continue;
        };
        let columns: std::collections::BTreeSet<&String> = lite.keys().chain(pg.keys()).collect();
        for column in columns {
            match (lite.get(column), pg.get(column)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => diff.push(format!(
                    "column {table}.{column}: SQLite {} {}, PostgreSQL {} {}",
                    a.class,
                    null_word(a),
                    b.class,
                    null_word(b)
                )),
                (Some(_), None) => diff.push(format!(
                    "column {table}.{column}: only in the SQLite migrations"
                )),
                (None, _) => diff.push(format!(
                    "column {table}.{column}: only in the PostgreSQL migrations"
                )),
            }
        }
    }
    diff
}

fn null_word(c: &Column) -> &'static str {
    if c.not_null { "NOT NULL" } else { "NULL" }
}

/// Needs both databases, so there is no `_sqlite` half; `SKIP_POSTGRES=1` skips it.
#[tokio::test]
async fn sqlite_and_postgres_migrations_describe_the_same_schema() {
    if crate::harness::postgres_skipped() {
        return;
    }
    let (lite, pg) = (Fresh::sqlite(), Fresh::postgres().await);
    let (lite_db, pg_db) = (lite.migrate().await, pg.migrate().await);
    let (sqlite, postgres) = (sqlite_schema(&lite_db).await, postgres_schema(&pg_db).await);
    assert!(
        sqlite.len() >= 10,
        "the migrations made {} tables",
        sqlite.len()
    );
    let diff = schema_diff(&sqlite, &postgres);
    assert!(
        diff.is_empty(),
        "the SQLite and PostgreSQL migrations differ:\n  {}",
        diff.join("\n  ")
    );
}

#[test]
fn type_classes_join_the_spellings_of_each_database() {
    for (a, b) in [
        ("INTEGER", "bigint"),
        ("BIGINT", "integer"),
        ("REAL", "double precision"),
        ("TEXT", "character varying"),
        ("BLOB", "bytea"),
    ] {
        assert_eq!(type_class(a), type_class(b), "{a} / {b}");
    }
    assert_ne!(type_class("TEXT"), type_class("bigint"));
    assert_eq!(
        type_class("jsonb"),
        "jsonb",
        "unknown types compare as spelt"
    );
}

#[test]
fn the_diff_names_every_mismatch() {
    let column = |class: &str, not_null| Column {
        class: class.to_owned(),
        not_null,
    };
    let table = |cols: &[(&str, Column)]| {
        cols.iter()
            .map(|(n, c)| ((*n).to_owned(), c.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    let sqlite: Schema = [
        (
            "orders".to_owned(),
            table(&[
                ("id", column("text", true)),
                ("total_minor", column("integer", true)),
                ("note", column("text", false)),
            ]),
        ),
        (
            "only_here".to_owned(),
            table(&[("id", column("integer", true))]),
        ),
    ]
    .into();
    assert!(
        schema_diff(&sqlite, &sqlite).is_empty(),
        "a schema equals itself"
    );

    let mut postgres = sqlite.clone();
    postgres.remove("only_here");
    let orders = postgres.get_mut("orders").unwrap();
    orders.insert("total_minor".into(), column("text", true));
    orders.insert("note".into(), column("text", true));
    orders.insert("extra".into(), column("integer", false));
    assert_eq!(
        schema_diff(&sqlite, &postgres),
        [
            "table only_here: only in the SQLite migrations",
            "column orders.extra: only in the PostgreSQL migrations",
            "column orders.note: SQLite text NULL, PostgreSQL text NOT NULL",
            "column orders.total_minor: SQLite integer NOT NULL, PostgreSQL text NOT NULL",
        ]
    );
}
