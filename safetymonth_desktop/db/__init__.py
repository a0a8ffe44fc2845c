"""The local SQLite database: connection and pragmas, declarative models, migrations, backups. No Qt here.

Imports only base/. Read top to bottom, each module importing only the ones before it (tests/test_layering.py):
fields, proxy (the database the models are bound to), models, migrations (schema versions, our application
id), integrity (is a file our healthy database?), lock (one writer), storage (network shares), backup_folder
(where backups lie, how they are named), identity (which database a backup belongs to), output_paths (what no
writer may overwrite), backup, connection (opening a file: all of the above), restore.
"""
