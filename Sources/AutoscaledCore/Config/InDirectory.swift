/// How a file is in a directory that is not its own to write, other than by being the directory:
/// the one wording of the config's checks and the commands' option checks alike.
enum InDirectory: Sendable, Equatable {
    /// Its path is under the directory, or under another name of it.
    case inside
    /// It is a symbolic link to a file there, made or not: a write goes through it.
    case leadsInside
    /// It is another name (a hard link, or a link) of a file there.
    case anotherNameInside

    /// What a message says between the file and the directory: `'/x/h/a.csv' is inside …`.
    var text: String {
        switch self {
        case .inside: "is inside"
        case .leadsInside: "leads inside"
        case .anotherNameInside: "is another name of a file inside"
        }
    }
}
