import AutoscaledSystem

/// Reads a config file from disk and parses it.
public enum ConfigLoader {
    /// The largest config file read: 1 MiB.
    public static let sizeLimit = 1 << 20

    /// Reads and validates the config at `path`; relative paths inside it are resolved against its
    /// directory. A history directory (while enabled) that stands where a file is, is refused.
    public static func load(path: String) -> Result<Config, ConfigErrors> {
        let absolute = absolutePath(path)
        let contents: RegularFileContents
        do {
            contents = try RegularFile.read(absolute, limit: sizeLimit)
        } catch {
            let message: String
            if case let .system(systemError) = error {
                message = "cannot read config: \(systemError.reason) (errno \(systemError.errno))"
            } else {
                message = "cannot read config: \(errorText(error, after: absolute))"
            }
            return .failure(ConfigErrors([ConfigError(file: path, line: nil, message: message)]))
        }
        // A history path that is a file passes the pure rules, then fails every write: refused here.
        return ConfigParser.parse(bytes: contents.bytes, file: path, directory: parentDirectory(of: absolute),
                                  nonDirectory: nonDirectory(onPath:))
    }
}
