"""SQLite under concurrent requests: one writer at a time, with its lock taken up front.

SQLite lets one connection write at a time. A transaction that reads and then writes asks
for the write lock late, and can fail at once with "database is locked" whatever the busy
timeout: so a request that writes begins with BEGIN IMMEDIATE. The writers of this process
queue on a Python lock first: threads wake the moment it is free, where SQLite's busy
handler sleeps in steps of up to 100 ms. database.py uses this for SQLite URLs only.
"""

import threading

from sqlalchemy import Connection, Engine, event


def serialize_sqlite_writes(engine: Engine) -> tuple[Engine, Engine]:
    """Begin transactions by the `sqlite_begin` execution option; the engines to bind a
    reading request's session and a writing one's to.

    "write" takes SQLite's write lock at BEGIN; "read" runs each statement on its own, as
    the sqlite3 module does for reads; anything else (migrations, scripts) begins plainly.
    """
    write_lock = threading.Lock()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin")
        if mode == "read":
            return
        if mode == "write":
            if write_lock.acquire(timeout=5):
                connection.info["write_lock"] = write_lock
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _end(connection: Connection) -> None:
        lock = connection.info.pop("write_lock", None)
        if lock is not None:
            lock.release()

    reading: Engine = engine.execution_options(sqlite_begin="read")
    writing: Engine = engine.execution_options(sqlite_begin="write")
    return reading, writing
