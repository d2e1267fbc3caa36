"""The DuckDB warehouse: schema migrations, loading, incremental state, runs, review and queries."""
