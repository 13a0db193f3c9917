import AutoscaledSystem

/// Turns a path written in a config file into an absolute, normalised path, touching the disk only
/// to keep `..` after a symbolic link.
enum PathText {
    /// Whether `path` can only name a directory (`/run/x/`, `x/.`, `..`): never a file to write.
    static func namesDirectory(_ path: String) -> Bool {
        path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..") || path == "." || path == ".."
    }

    /// `path` made absolute against `directory` (when relative) and normalised: repeated `/`
    /// collapsed, `.` dropped, `..` removes the component before it (never above `/`), no
    /// trailing `/`. Only where the path so far is no symbolic link: `..` after one names the
    /// parent of where the link leads, as the kernel resolves it, so it is kept (`lnk/../x` stays,
    /// the one lookup that touches the disk). Symbolic links are not otherwise resolved.
    ///
    /// `directory` should itself be absolute (the config file's directory); a relative one
    /// gives a relative result.
    static func resolve(
        _ path: String, against directory: String, isSymbolicLink: (String) -> Bool = { entryKind(at: $0) == .symbolicLink }
    ) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        let absolute = joined.hasPrefix("/")
        var parts: [String] = []
        func text(_ parts: [String]) -> String {
            let body = parts.joined(separator: "/")
            if absolute { return "/" + body }
            return body.isEmpty ? "." : body
        }
        for scalars in joined.unicodeScalars.split(separator: "/") {
            let part = String(String.UnicodeScalarView(scalars))
            switch part {
            case ".":
                continue
            case "..":
                if let last = parts.last, last != "..", !isSymbolicLink(text(parts)) {
                    parts.removeLast()
                } else if !absolute || !parts.isEmpty {
                    parts.append(part)
                }
            default:
                parts.append(part)
            }
        }
        return text(parts)
    }
}
