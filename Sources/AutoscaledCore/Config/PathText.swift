/// Turns a path written in a config file into an absolute, normalised path, without touching the disk.
enum PathText {
    /// Whether `path` can only name a directory (`/run/x/`, `x/.`, `..`): never a file to write.
    static func namesDirectory(_ path: String) -> Bool {
        path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..") || path == "." || path == ".."
    }

    /// `path` made absolute against `directory` (when relative) and normalised lexically:
    /// repeated `/` collapsed, `.` dropped, `..` removes the component before it (never above `/`),
    /// no trailing `/`. Symbolic links are not resolved.
    ///
    /// `directory` should itself be absolute (the config file's directory); a relative one
    /// gives a relative result.
    static func resolve(_ path: String, against directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        let absolute = joined.hasPrefix("/")
        var parts: [String] = []
        for scalars in joined.unicodeScalars.split(separator: "/") {
            let part = String(String.UnicodeScalarView(scalars))
            switch part {
            case ".":
                continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
            default:
                parts.append(part)
            }
        }
        let body = parts.joined(separator: "/")
        if absolute { return "/" + body }
        return body.isEmpty ? "." : body
    }
}
