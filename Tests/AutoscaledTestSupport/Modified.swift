/// `value` with `change` applied, for building a value from defaults in one expression:
/// `modified(PolicyConfig.defaults) { $0.fallbackReplicas = 5 }`.
public func modified<T>(_ value: T, _ change: (inout T) throws -> Void) rethrows -> T {
    var value = value
    try change(&value)
    return value
}
