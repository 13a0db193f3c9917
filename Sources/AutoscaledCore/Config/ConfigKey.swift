/// Names one key of one section, e.g. `[policy] min_replicas`.
struct ConfigKey: Hashable, Sendable {
    var section: String
    var name: String
}
