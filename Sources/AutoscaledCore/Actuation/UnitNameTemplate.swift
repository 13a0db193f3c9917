/// A systemd unit name with `{i}` for the instance number: `llama-server@{i}.service`.
public struct UnitNameTemplate: Sendable, Equatable, CustomStringConvertible {
    /// Why a text is not a usable template; `problem` follows the quoted text in a config error.
    public struct Fault: Error, Sendable, Equatable {
        public var problem: String
    }

    public static let example = "llama-server@{i}.service"
    /// systemd's limit on the length of a unit name.
    public static let maxNameBytes = 255
    /// The unit types systemd knows, one of which ends every unit name (`.service`).
    public static let unitTypes: Set<String> = [
        "service", "socket", "target", "device", "mount", "automount", "swap", "timer", "path", "slice", "scope",
    ]

    /// The template as written.
    public let text: String

    /// Checks that `text` holds `{i}` and otherwise only what a unit name may hold (letters,
    /// digits, `:`, `-`, `_`, `.`, `@`, `\`), and that it does not start with `-`: it goes
    /// into `systemctl`'s argument vector, where it must never read as an option. Like every unit
    /// name it ends in a unit type (``unitTypes``) and does not start with `@`: `systemctl` adds
    /// `.service` to a name without a type, so `llama@{i}.gpu` would act on `llama@1.gpu.service`.
    /// It is at most ``maxNameBytes`` long, with the widest instance number in it.
    public init(_ text: String) throws(Fault) {
        guard text.contains("{i}") else { throw Fault(problem: "has no {i} for the instance number") }
        let rest = text.replacing("{i}", with: "1")
        if rest.hasPrefix("-") { throw Fault(problem: "starts with '-'") }
        let allowed: Set<Character> = [":", "-", "_", ".", "@", "\\"]
        guard rest.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || allowed.contains($0)) }) else {
            throw Fault(problem: "has characters a unit name cannot have")
        }
        if rest.hasPrefix("@") { throw Fault(problem: "has no unit name before '@'") }
        guard let dot = rest.lastIndex(of: "."), Self.unitTypes.contains(String(rest[rest.index(after: dot)...])) else {
            throw Fault(problem: "does not end in a unit type such as .service")
        }
        let widest = text.replacing("{i}", with: String(SystemdActuator.maxInstances))
        guard widest.utf8.count <= Self.maxNameBytes else {
            throw Fault(problem: "is longer than \(Self.maxNameBytes) bytes with instance \(SystemdActuator.maxInstances)")
        }
        self.text = text
    }

    /// The unit of instance `number`: `llama-server@3.service`.
    public func name(_ number: Int) -> String {
        text.replacing("{i}", with: String(number))
    }

    public var description: String { text }
}
