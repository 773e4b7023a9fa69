import GitWorkspace
/// The session database's schema, as an ordered list of migrations keyed by `PRAGMA user_version`.
///
/// Migration `n` (1-based) moves the database from version `n - 1` to `n` inside one
/// transaction, so a crash mid-migration leaves the previous version intact. Never edit a
/// shipped migration; append a new one.
enum SessionSchema {
    /// The version a fully migrated database has.
    static var currentVersion: Int { migrations.count }

    /// Connection settings applied at every open (they are per-connection, not stored).
    static let connectionPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA foreign_keys = ON;
        """

    /// Brings the database to `currentVersion`; returns the version it started from.
    @discardableResult
    static func migrate(_ database: SQLiteDatabase) throws(SessionStoreError) -> Int {
        // Two processes opening a fresh store at once: BEGIN IMMEDIATE serialises them, and the
        // version is re-read inside the transaction so the second one does nothing.
        try database.write { (connection) throws(SessionStoreError) -> Int in
            let found = try connection.userVersion()
            guard found <= currentVersion else {
                throw .newerSchema(path: connection.path, found: found, supported: currentVersion)
            }
            for version in found..<currentVersion {
                try connection.execute(migrations[version])
            }
            if found < currentVersion {
                try connection.execute("PRAGMA user_version = \(currentVersion)")
            }
            return found
        }
    }

    /// Migration `i` takes version `i` to `i + 1`. Times are REAL seconds since 1970 (UTC).
    static let migrations: [String] = [
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            repository TEXT NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL,
            status TEXT NOT NULL,
            task TEXT NOT NULL,
            base_commit TEXT,
            target_ref TEXT,
            merge_mode TEXT,
            winner TEXT,
            pid INTEGER,
            legacy_path TEXT UNIQUE
        );
        CREATE INDEX sessions_started ON sessions(started_at DESC, id DESC);
        CREATE INDEX sessions_status ON sessions(status);

        CREATE TABLE turns (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            task TEXT NOT NULL,
            base_commit TEXT,
            winner TEXT,
            merged_commit TEXT,
            merge_how TEXT,
            status TEXT NOT NULL,
            answer TEXT,
            started_at REAL NOT NULL,
            ended_at REAL,
            legacy_path TEXT UNIQUE,
            PRIMARY KEY (session_id, n)
        ) WITHOUT ROWID;

        CREATE TABLE agents (
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            agent_id TEXT NOT NULL,
            anonymous_id TEXT NOT NULL,
            backend_type TEXT,
            model TEXT,
            branch TEXT,
            worktree_path TEXT,
            PRIMARY KEY (session_id, turn, agent_id),
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        ) WITHOUT ROWID;

        CREATE TABLE iterations (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            agent_id TEXT NOT NULL,
            n INTEGER NOT NULL,
            commit_id TEXT NOT NULL,
            parent_commit TEXT,
            summary TEXT NOT NULL,
            files_changed INTEGER NOT NULL,
            insertions INTEGER NOT NULL,
            deletions INTEGER NOT NULL,
            accepted INTEGER NOT NULL,
            rejection_reason TEXT,
            created_at REAL NOT NULL,
            UNIQUE (session_id, turn, agent_id, n),
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        );

        CREATE TABLE votes (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            round INTEGER NOT NULL,
            voter TEXT NOT NULL,
            target TEXT NOT NULL,
            reason TEXT NOT NULL,
            ignored INTEGER NOT NULL,
            created_at REAL NOT NULL,
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        );
        CREATE INDEX votes_turn ON votes(session_id, turn);

        CREATE TABLE test_results (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            agent_id TEXT NOT NULL,
            commit_id TEXT NOT NULL,
            passed INTEGER NOT NULL,
            passed_count INTEGER NOT NULL,
            failed_count INTEGER NOT NULL,
            failing_names TEXT NOT NULL,
            output_tail TEXT NOT NULL,
            duration_seconds REAL NOT NULL,
            created_at REAL NOT NULL,
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        );
        CREATE INDEX test_results_turn ON test_results(session_id, turn);

        CREATE TABLE similarity (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            round INTEGER NOT NULL,
            label TEXT NOT NULL,
            agents TEXT NOT NULL,
            matrix TEXT NOT NULL,
            created_at REAL NOT NULL,
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        );
        CREATE INDEX similarity_turn ON similarity(session_id, turn);

        CREATE TABLE token_usage (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            turn INTEGER NOT NULL,
            agent_id TEXT NOT NULL,
            model TEXT,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            cached_input_tokens INTEGER NOT NULL,
            cost_usd REAL,
            created_at REAL NOT NULL
        );
        CREATE INDEX token_usage_session ON token_usage(session_id, turn);

        CREATE TABLE operations (
            id INTEGER PRIMARY KEY,
            session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
            kind TEXT NOT NULL,
            summary TEXT NOT NULL,
            record TEXT NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            undone_at REAL
        );

        CREATE TABLE conversation (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            role TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at REAL NOT NULL,
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        );
        CREATE INDEX conversation_session ON conversation(session_id, turn, id);

        CREATE TABLE conversation_media (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            mime TEXT NOT NULL
        );
        CREATE INDEX conversation_media_message ON conversation_media(message_id);

        CREATE TABLE legacy_imports (
            legacy_path TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            session_id TEXT,
            imported_at REAL NOT NULL
        ) WITHOUT ROWID;
        """,
        // 2: what decided each round (the tally as JSON, so new ranking keys need no new column),
        // and `mg review`: the change reviewed, its verdict, and every reviewer's findings.
        """
        CREATE TABLE rankings (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            round INTEGER NOT NULL,
            reason TEXT NOT NULL,
            ranking TEXT NOT NULL,
            created_at REAL NOT NULL,
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        );
        CREATE INDEX rankings_turn ON rankings(session_id, turn);

        CREATE TABLE reviews (
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            range TEXT NOT NULL,
            base_commit TEXT NOT NULL,
            head_commit TEXT NOT NULL,
            strict INTEGER NOT NULL,
            verdict TEXT,
            exit_code INTEGER,
            PRIMARY KEY (session_id, turn),
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        ) WITHOUT ROWID;

        CREATE TABLE review_findings (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            agent_id TEXT NOT NULL,
            path TEXT NOT NULL,
            line INTEGER,
            severity TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at REAL NOT NULL,
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        );
        CREATE INDEX review_findings_turn ON review_findings(session_id, turn);
        """,
        // 3: decisions you can trust — the baseline and each run's kind, per-test names, what an
        // answer did to the tests, blind-ballot seeds and orders, the decision of each turn.
        """
        ALTER TABLE test_results ADD COLUMN kind TEXT NOT NULL DEFAULT 'answer';
        ALTER TABLE test_results ADD COLUMN command TEXT;
        ALTER TABLE test_results ADD COLUMN passing_names TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE iterations ADD COLUMN changed_tests TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE iterations ADD COLUMN no_change INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE votes ADD COLUMN target_passed INTEGER;
        ALTER TABLE turns ADD COLUMN ballot_seed TEXT;
        ALTER TABLE turns ADD COLUMN decision TEXT;

        CREATE TABLE ballot_orders (
            id INTEGER PRIMARY KEY,
            session_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            agent_id TEXT NOT NULL,
            serial INTEGER NOT NULL,
            shown TEXT NOT NULL,
            created_at REAL NOT NULL,
            FOREIGN KEY (session_id, turn) REFERENCES turns(session_id, n) ON DELETE CASCADE
        );
        CREATE INDEX ballot_orders_turn ON ballot_orders(session_id, turn);
        """,
        // 4: the operation log as a transaction journal: an entry is `planned` before anything
        // changes, `done` once it landed, `undoing` while `mg undo` reverts it, and
        // `rollback_failed` (with the problem) when a failed change could not be put back.
        """
        ALTER TABLE operations ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
        ALTER TABLE operations ADD COLUMN problem TEXT;
        ALTER TABLE operations ADD COLUMN turn INTEGER;
        ALTER TABLE agents ADD COLUMN failure TEXT;
        """,
    ]
}
