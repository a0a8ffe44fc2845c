"""The primitives every layer shares, below the database layer: they import nothing of the application.

What belongs here: a module that db/, services/, exchange/ and ui/ all need and that knows nothing about
the database, the records or the screens — the Chinese-message exceptions (errors), text normalisation
(text), the choice lists (vocab), where the program keeps its files (paths), comparing paths as files
(file_facts), writing a file atomically (files), explaining failures of the machine (failures) and the Windows mutex the
installer looks for (app_mutex).
Whatever needs a model, a query or the open database belongs in db/ or above. Inside base/ a module imports
only the ones before it in tests/test_layering.py's order.
"""
