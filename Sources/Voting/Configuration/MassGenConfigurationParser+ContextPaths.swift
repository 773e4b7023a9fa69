import Foundation

extension MassGenConfigurationParser {
    /// MassGen's `context_paths`: a list of `{path, permission, protected_paths}`. A relative
    /// path is taken from the current directory, as MassGen takes it; a path that does not exist
    /// is skipped with a warning, as MassGen skips it. What each entry means in mg (read-only
    /// folders, the winner's change landing in a write path) is settled per repository by
    /// `ContextPathPlan`.
    mutating func readContextPaths(_ value: YAMLValue) throws(ConfigurationError) -> [ContextPath] {
        var result: [ContextPath] = []
        for item in try value.items() {
            var path: String?
            var permission = "read"
            var protected: [String] = []
            for (key, field) in try item.entries() {
                switch key {
                case "path": path = try field.string()
                case "permission":
                    permission = try field.string().lowercased()
                    guard permission == "read" || permission == "write" else {
                        throw field.invalid("read or write")
                    }
                case "protected_paths": protected = try field.stringList()
                default: warn(field)
                }
            }
            guard let path, !path.isEmpty else {
                throw .missingKey(
                    item.location, path: item.path + ".path", hint: "each context path needs a `path`.")
            }
            let absolute =
                path.hasPrefix("/")
                ? URL(fileURLWithPath: path).standardizedFileURL.path
                : URL(fileURLWithPath: workingDirectory).appendingPathComponent(path).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: absolute) else {
                warn(
                    item, "the context path \(absolute) does not exist (MassGen skips it too)", kind: .skipped
                )
                continue
            }
            var entry = ContextPath(path: path, permission: permission, protectedPaths: protected)
            entry.absolutePath = absolute
            entry.location = item.location
            result.append(entry)
        }
        return result
    }
}
