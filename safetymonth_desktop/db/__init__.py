"""The local SQLite database: connection and pragmas, declarative models, migrations, backups. No Qt here."""
