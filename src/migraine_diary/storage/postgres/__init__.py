"""The diary kept in a PostgreSQL database: the DDL translation, connections, upgrade, check."""
