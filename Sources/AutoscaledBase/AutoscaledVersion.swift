/// The version printed by `autoscaled --version` and logged at start.
public enum AutoscaledVersion {
    public static let current = "0.1.0"
}
