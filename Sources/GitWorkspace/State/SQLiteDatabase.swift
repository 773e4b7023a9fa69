import CSQLite3
import Foundation
import Synchronization

/// A value bound to, or read from, an SQL statement.
public enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// `.text(value)` or `.null`.
    public static func optional(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    /// `.integer(value)` or `.null`.
    public static func optional(_ value: Int?) -> SQLiteValue { value.map { .integer(Int64($0)) } ?? .null }
    /// `.real(value)` or `.null`.
    public static func optional(_ value: Double?) -> SQLiteValue { value.map { .real($0) } ?? .null }
    /// A Boolean as 0 / 1.
    public static func bool(_ value: Bool) -> SQLiteValue { .integer(value ? 1 : 0) }
}

/// One SQLite connection: the only code in mg that imports `CSQLite3`.
///
/// The handle sits behind a `Mutex`, so a `SQLiteDatabase` may be shared between tasks; calls
/// after `close()` fail with `SessionStoreError.closed`. Every write runs in `BEGIN IMMEDIATE …
/// COMMIT`, which takes the write lock up front: a second connection waiting for it goes through
/// the busy timeout instead of failing with `SQLITE_BUSY` on lock upgrade.
public final class SQLiteDatabase: Sendable {
    /// The database file.
    public let path: String
    private let handle: Mutex<Handle?>

    /// The raw connection. Marked Sendable because the `Mutex` is what confines it: it is only
    /// touched inside `withLock`, one thread at a time (SQLite's NOMUTEX mode needs exactly that).
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 10_000) throws(SessionStoreError) {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw .cannotOpen(path: path, reason: message)
        }
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(db, 1)
        handle = Mutex(Handle(pointer: db))
    }

    deinit {
        handle.withLock { db in
            if let open = db { sqlite3_close_v2(open.pointer) }
            db = nil
        }
    }

    /// Closes the connection; later calls throw `.closed`.
    public func close() {
        handle.withLock { db in
            if let open = db { sqlite3_close_v2(open.pointer) }
            db = nil
        }
    }

    /// Runs `body` with the connection held, outside any transaction (pragmas, reads).
    public func withConnection<T>(_ body: (SQLiteConnection) throws(SessionStoreError) -> T) throws(SessionStoreError) -> T {
        let result: Result<T, SessionStoreError> = handle.withLock { db in
            guard let db else { return .failure(.closed(path: path)) }
            do throws(SessionStoreError) {
                return .success(try body(SQLiteConnection(db: db.pointer, path: path)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Runs `body` in one write transaction, committed (and, with `synchronous=FULL`, synced)
    /// before this returns; rolled back when `body` throws.
    public func write<T>(_ body: (SQLiteConnection) throws(SessionStoreError) -> T) throws(SessionStoreError) -> T {
        try withConnection { (connection) throws(SessionStoreError) -> T in
            try connection.execute("BEGIN IMMEDIATE")
            do throws(SessionStoreError) {
                let value = try body(connection)
                try connection.execute("COMMIT")
                return value
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs `body` in one read transaction, so every query in it sees the same snapshot.
    public func read<T>(_ body: (SQLiteConnection) throws(SessionStoreError) -> T) throws(SessionStoreError) -> T {
        try withConnection { (connection) throws(SessionStoreError) -> T in
            try connection.execute("BEGIN")
            defer { try? connection.execute("COMMIT") }
            return try body(connection)
        }
    }
}

/// The open connection inside `SQLiteDatabase.withConnection`; valid only during the call.
public struct SQLiteConnection {
    fileprivate let db: OpaquePointer
    public let path: String

    /// Runs one statement (or, without values, several separated by `;`).
    public func execute(_ sql: String, _ values: [SQLiteValue] = []) throws(SessionStoreError) {
        if values.isEmpty {
            var message: UnsafeMutablePointer<CChar>?
            let rc = sqlite3_exec(db, sql, nil, nil, &message)
            defer { sqlite3_free(message) }
            guard rc == SQLITE_OK else {
                throw failure(rc, sql: sql, message: message.map { String(cString: $0) })
            }
            return
        }
        try query(sql, values) { _ in }
    }

    /// Runs a statement and calls `row` for each result row.
    public func query(
        _ sql: String, _ values: [SQLiteValue] = [], row: (SQLiteRow) throws(SessionStoreError) -> Void
    ) throws(SessionStoreError) {
        var statement: OpaquePointer?
        let prepared = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        guard prepared == SQLITE_OK, let statement else { throw failure(prepared, sql: sql) }
        defer { sqlite3_finalize(statement) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let number): rc = sqlite3_bind_int64(statement, index, number)
            case .real(let number): rc = sqlite3_bind_double(statement, index, number)
            case .text(let text): rc = sqlite3_bind_text(statement, index, text, -1, mg_sqlite3_transient())
            }
            guard rc == SQLITE_OK else { throw failure(rc, sql: sql) }
        }
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw failure(rc, sql: sql) }
            try row(SQLiteRow(statement: statement))
        }
    }

    /// All rows of a query, mapped.
    public func rows<T>(
        _ sql: String, _ values: [SQLiteValue] = [], _ map: (SQLiteRow) throws(SessionStoreError) -> T
    ) throws(SessionStoreError) -> [T] {
        var result: [T] = []
        try query(sql, values) { (row) throws(SessionStoreError) in result.append(try map(row)) }
        return result
    }

    /// The first row of a query, mapped; `nil` when there is none.
    public func first<T>(
        _ sql: String, _ values: [SQLiteValue] = [], _ map: (SQLiteRow) throws(SessionStoreError) -> T
    ) throws(SessionStoreError) -> T? {
        try rows(sql, values, map).first
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(db) }

    /// Rows changed by the last statement.
    public var changes: Int { Int(sqlite3_changes(db)) }

    /// `PRAGMA user_version`: the schema version the migrations reached.
    public func userVersion() throws(SessionStoreError) -> Int {
        try first("PRAGMA user_version") { $0.int(0) } ?? 0
    }

    private func failure(_ rc: Int32, sql: String, message: String? = nil) -> SessionStoreError {
        let text = message ?? String(cString: sqlite3_errmsg(db))
        let primary = rc & 0xFF
        if primary == SQLITE_BUSY || primary == SQLITE_LOCKED {
            return .busy(path: path)
        }
        if primary == SQLITE_CONSTRAINT {
            return .constraint(message: text, statement: Self.firstLine(sql))
        }
        if primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB {
            return .corrupt(path: path, reason: text)
        }
        if primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN {
            return .io(path: path, reason: text)
        }
        return .sqlite(code: rc, message: text, statement: Self.firstLine(sql))
    }

    private static func firstLine(_ sql: String) -> String {
        let line = sql.split(separator: "\n").first.map(String.init) ?? sql
        return line.trimmingCharacters(in: .whitespaces)
    }
}

/// One result row; columns are read by index, in the order of the SELECT.
public struct SQLiteRow {
    fileprivate let statement: OpaquePointer

    /// Whether column `index` is NULL.
    public func isNull(_ index: Int32) -> Bool { sqlite3_column_type(statement, index) == SQLITE_NULL }
    /// An INTEGER column (0 for NULL).
    public func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(statement, index)) }
    /// An INTEGER column, `nil` for NULL.
    public func optionalInt(_ index: Int32) -> Int? { isNull(index) ? nil : int(index) }
    /// A REAL column (0 for NULL).
    public func double(_ index: Int32) -> Double { sqlite3_column_double(statement, index) }
    /// A REAL column, `nil` for NULL.
    public func optionalDouble(_ index: Int32) -> Double? { isNull(index) ? nil : double(index) }
    /// A 0 / 1 column.
    public func bool(_ index: Int32) -> Bool { int(index) != 0 }
    /// A TEXT column ("" for NULL).
    public func text(_ index: Int32) -> String { optionalText(index) ?? "" }
    /// A TEXT column, `nil` for NULL.
    public func optionalText(_ index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, index) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
    /// A REAL column of seconds since 1970 as a date.
    public func date(_ index: Int32) -> Date { Date(timeIntervalSince1970: double(index)) }
    /// A REAL date column, `nil` for NULL.
    public func optionalDate(_ index: Int32) -> Date? { isNull(index) ? nil : date(index) }
}
