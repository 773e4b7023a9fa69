import CLibGit2

/// Process-wide libgit2 settings.
public enum GitConfiguration {
    /// Makes libgit2 read global, XDG and system config only from `directory` (tests use a
    /// private, empty HOME so the developer's own git config cannot change results).
    public static func isolateConfiguration(in directory: String) throws(GitWorkspaceError) {
        LibGit2.ensureInitialized()
        for level in [GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_PROGRAMDATA] {
            try LibGit2.check(
                mg_git_opts_set_search_path(Int32(level.rawValue), directory), "set config search path")
        }
    }
}
