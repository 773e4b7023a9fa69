/// Recognises files that look like secrets, which mg never adds to a commit.
///
/// Matched on the file name: `.env*`, `*.pem`, `*.key`, `id_rsa*`, `id_dsa*`,
/// `id_ecdsa*`, `id_ed25519*`. A file the user already tracks stays versioned (it is in their
/// history anyway); only new, untracked ones are left out and reported.
public enum SecretFilePolicy {
    /// True when `path`'s file name looks like a secret.
    public static func looksSecret(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasPrefix(".env") || name.hasSuffix(".pem") || name.hasSuffix(".key") { return true }
        return ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains { name.hasPrefix($0) }
    }

    /// The skip rule for staging: leave out secret-looking files that are not tracked yet.
    static func skipUntrackedSecrets(_ path: String, _ tracked: Bool) -> Bool {
        !tracked && looksSecret(path)
    }
}
