extension ConfigKey {
    static let sourceType = ConfigKey(section: "source", name: "type")
    static let sourcePath = ConfigKey(section: "source", name: "path")
    static let sourceFormat = ConfigKey(section: "source", name: "format")
    static let sourceAddress = ConfigKey(section: "source", name: "address")
    static let sourceURL = ConfigKey(section: "source", name: "url")
    static let sourceRequest = ConfigKey(section: "source", name: "request")
    static let connectTimeout = ConfigKey(section: "source", name: "connect_timeout")
    static let readTimeout = ConfigKey(section: "source", name: "read_timeout")
    static let maxResponseBytes = ConfigKey(section: "source", name: "max_response_bytes")
    static let metric = ConfigKey(section: "source", name: "metric")
    static let serverLabel = ConfigKey(section: "source", name: "server_label")
    static let labelMatch = ConfigKey(section: "source", name: "label_match")
    static let backend = ConfigKey(section: "source", name: "backend")
    static let field = ConfigKey(section: "source", name: "field")
    static let pollInterval = ConfigKey(section: "source", name: "poll_interval")
    static let staleAfter = ConfigKey(section: "source", name: "stale_after")
    static let failureThreshold = ConfigKey(section: "source", name: "failure_threshold")
    static let scaleUpThreshold = ConfigKey(section: "policy", name: "scale_up_threshold")
    static let scaleDownThreshold = ConfigKey(section: "policy", name: "scale_down_threshold")
    static let minReplicas = ConfigKey(section: "policy", name: "min_replicas")
    static let maxReplicas = ConfigKey(section: "policy", name: "max_replicas")
    static let initialReplicas = ConfigKey(section: "policy", name: "initial_replicas")
    static let maxScaleUpPerMinute = ConfigKey(section: "policy", name: "max_scale_up_per_minute")
    static let maxScaleDownPerMinute = ConfigKey(section: "policy", name: "max_scale_down_per_minute")
    static let maxScaleDownPercentPerMinute = ConfigKey(section: "policy", name: "max_scale_down_percent_per_minute")
    static let scaleUpCooldown = ConfigKey(section: "policy", name: "scale_up_cooldown")
    static let scaleDownStabilization = ConfigKey(section: "policy", name: "scale_down_stabilization")
    static let scaleDownStabilizationRule = ConfigKey(section: "policy", name: "scale_down_stabilization_rule")
    static let targetLoad = ConfigKey(section: "policy", name: "target_load")
    static let replicaStartup = ConfigKey(section: "policy", name: "replica_startup")
    static let trendWindow = ConfigKey(section: "policy", name: "trend_window")
    static let trendMinSpan = ConfigKey(section: "policy", name: "trend_min_span")
    static let smoothingWindow = ConfigKey(section: "policy", name: "smoothing_window")
    static let burstRatio = ConfigKey(section: "policy", name: "burst_ratio")
    static let fallbackReplicas = ConfigKey(section: "policy", name: "fallback_replicas")
    static let seasonalPeriods = ConfigKey(section: "policy", name: "seasonal_periods")
    static let seasonalConfirmations = ConfigKey(section: "policy", name: "seasonal_confirmations")
    static let seasonalMinRise = ConfigKey(section: "policy", name: "seasonal_min_rise")
    static let headroom = ConfigKey(section: "policy", name: "headroom")
    static let headroomTargetLoad = ConfigKey(section: "policy", name: "headroom_target_load")
    static let headroomQuantile = ConfigKey(section: "policy", name: "headroom_quantile")
    static let headroomWindow = ConfigKey(section: "policy", name: "headroom_window")
    static let headroomScaleDownMargin = ConfigKey(section: "policy", name: "headroom_scale_down_margin")
    static let headroomScaleUpTolerance = ConfigKey(section: "policy", name: "headroom_scale_up_tolerance")
    static let headroomSquareRootRoom = ConfigKey(section: "policy", name: "headroom_square_root_room")
    static let headroomSpread = ConfigKey(section: "policy", name: "headroom_spread")
    static let headroomScaleDownMarginUnmeasured = ConfigKey(section: "policy", name: "headroom_scale_down_margin_unmeasured")
    static let scaleToZeroAfter = ConfigKey(section: "policy", name: "scale_to_zero_after")
    static let statePath = ConfigKey(section: "state", name: "path")
    static let historyEnabled = ConfigKey(section: "history", name: "enabled")
    static let historyPath = ConfigKey(section: "history", name: "path")
    static let historyRetention = ConfigKey(section: "history", name: "retention")
    static let historyMaxSize = ConfigKey(section: "history", name: "max_size")
    static let logLevel = ConfigKey(section: "log", name: "level")
    static let logFormat = ConfigKey(section: "log", name: "format")
    static let metricsTextfile = ConfigKey(section: "metrics", name: "textfile")
    static let metricsMaxSeries = ConfigKey(section: "metrics", name: "max_series")
}

/// The sections and keys of `autoscaled.conf`, in the order they are documented and listed.
///
/// Adding a key takes a ``ConfigKey`` constant, a row here, a field in ``Config`` and one line
/// where the config is built (`Config+ParsedValues.swift`); cross-key rules live in ``ConfigConsistency``.
enum ConfigSchema {
    /// The bound of every replica count and step.
    static let maxCount = PolicyConfig.maxReplicaCount

    static let keys: [ConfigKeySpec] = sourceKeys + [
        ConfigKeySpec(.scaleUpThreshold, .number, default: "50") { .number($0.policy.scaleUpThreshold) },
        ConfigKeySpec(.scaleDownThreshold, .number, default: "35") { .number($0.policy.scaleDownThreshold) },
        ConfigKeySpec(.targetLoad, .number, default: nil, defaultFrom: .scaleUpThreshold, example: "50") {
            .number($0.policy.targetLoad)
        },
        ConfigKeySpec(.minReplicas, .integer(min: 0, max: maxCount), default: "1") { .integer($0.policy.minReplicas) },
        ConfigKeySpec(.maxReplicas, .integer(min: 1, max: maxCount), default: "10") { .integer($0.policy.maxReplicas) },
        ConfigKeySpec(.initialReplicas, .integer(min: 0, max: maxCount), default: "3") { .integer($0.policy.initialReplicas) },
        ConfigKeySpec(.maxScaleUpPerMinute, .integer(min: 1, max: maxCount), default: "4") {
            .integer($0.policy.maxScaleUpPerMinute)
        },
        ConfigKeySpec(.maxScaleDownPerMinute, .integer(min: 1, max: maxCount), default: "3") {
            .integer($0.policy.maxScaleDownPerMinute)
        },
        ConfigKeySpec(.maxScaleDownPercentPerMinute, .number, default: "30") {
            .number($0.policy.maxScaleDownPercentPerMinute)
        },
        ConfigKeySpec(.scaleUpCooldown, .duration(allowsZero: true), default: "1min") {
            .duration($0.policy.scaleUpCooldown)
        },
        ConfigKeySpec(.scaleDownStabilization, .duration(allowsZero: true), default: "5min") {
            .duration($0.policy.scaleDownStabilization)
        },
        ConfigKeySpec(.scaleDownStabilizationRule, .choice(PolicyConfig.StabilizationRule.allCases.map(\.rawValue)),
                      default: "highest") {
            .string($0.policy.scaleDownStabilizationRule.rawValue)
        },
        ConfigKeySpec(.replicaStartup, .duration(allowsZero: true), default: "1min") {
            .duration($0.policy.replicaStartup)
        },
        ConfigKeySpec(.trendWindow, .duration(allowsZero: false), default: "3min") { .duration($0.policy.trendWindow) },
        ConfigKeySpec(.trendMinSpan, .duration(allowsZero: true), default: "20s") { .duration($0.policy.trendMinSpan) },
        ConfigKeySpec(.smoothingWindow, .duration(allowsZero: true), default: "20s") {
            .duration($0.policy.smoothingWindow)
        },
        ConfigKeySpec(.burstRatio, .number, default: "2") { .number($0.policy.burstRatio) },
        ConfigKeySpec(.fallbackReplicas, .integer(min: 0, max: maxCount), default: ConfigKeySpec.unset, example: "2") {
            $0.policy.fallbackReplicas.map(TypedValue.integer)
        },
        ConfigKeySpec(.seasonalPeriods, .durationList(within: PolicyConfig.seasonalPeriodRange, most: PolicyConfig.maxSeasonalPeriods),
                      default: "none", example: "1h, 1d") {
            .durations($0.policy.seasonalPeriods.durations)
        },
        ConfigKeySpec(.seasonalConfirmations, .integer(min: 1, max: PolicyConfig.maxSeasonalConfirmations), default: "2") {
            .integer($0.policy.seasonalConfirmations)
        },
        ConfigKeySpec(.seasonalMinRise, .number, default: "1.5") { .number($0.policy.seasonalMinRise) },
        ConfigKeySpec(.headroom, .choice(Headroom.Mode.allCases.map(\.rawValue)), default: "thresholds") {
            .string($0.policy.headroom.mode.rawValue)
        },
        ConfigKeySpec(.headroomTargetLoad, .number, default: "65") { .number($0.policy.headroom.targetLoad) },
        ConfigKeySpec(.headroomQuantile, .number, default: "0.9") { .number($0.policy.headroom.quantile) },
        ConfigKeySpec(.headroomWindow, .duration(allowsZero: false), default: "1h") { .duration($0.policy.headroom.window) },
        ConfigKeySpec(.headroomScaleDownMargin, .number, default: "0") { .number($0.policy.headroom.scaleDownMargin) },
        ConfigKeySpec(.headroomScaleUpTolerance, .number, default: "0") { .number($0.policy.headroom.scaleUpTolerance) },
        ConfigKeySpec(.headroomSquareRootRoom, .number, default: "0") { .number($0.policy.headroom.squareRootRoom) },
        ConfigKeySpec(.headroomSpread, .choice(Headroom.Spread.allCases.map(\.rawValue)), default: "assumed") {
            .string($0.policy.headroom.spread.rawValue)
        },
        ConfigKeySpec(.headroomScaleDownMarginUnmeasured, .number, default: nil, defaultFrom: .headroomScaleDownMargin,
                      example: "0.3", when: (.headroomSpread, [Headroom.Spread.measured.rawValue])) {
            $0.policy.headroom.spread == .measured ? .number($0.policy.headroom.scaleDownMarginUnmeasured) : nil
        },
        ConfigKeySpec(.scaleToZeroAfter, .duration(allowsZero: false), default: ConfigKeySpec.unset, example: "5min") {
            $0.policy.scaleToZeroAfter.map(TypedValue.duration)
        },
        ConfigKeySpec(.statePath, .path, default: "/var/lib/autoscaled/state.json") { .string($0.state.path) },
        ConfigKeySpec(.historyEnabled, .boolean, default: "true") { .boolean($0.history.enabled) },
        ConfigKeySpec(.historyPath, .directory, default: ConfigKeySpec.unset, example: "/var/lib/autoscaled/history") {
            .string($0.history.path)
        },
        ConfigKeySpec(.historyRetention, .duration(allowsZero: false), default: "8d") { .duration($0.history.retention) },
        ConfigKeySpec(.historyMaxSize, .byteSize(min: HistoryConfig.minimumSize), default: "64M") {
            .byteSize($0.history.maxSize)
        },
        ConfigKeySpec(.logLevel, .choice(LogLevel.allCases.map(\.name)), default: "info") {
            .string($0.log.level.name)
        },
        ConfigKeySpec(.logFormat, .choice(LogFormat.allCases.map(\.rawValue)), default: "logfmt") {
            .string($0.log.format.rawValue)
        },
        ConfigKeySpec(.metricsTextfile, .path, default: ConfigKeySpec.unset,
                      example: "/var/lib/node_exporter/textfile_collector/autoscaled.prom") {
            $0.metrics.textfile.map(TypedValue.string)
        },
        ConfigKeySpec(.metricsMaxSeries, .integer(min: 0, max: maxCount), default: "100") { .integer($0.metrics.maxSeries) },
    ] + actuatorKeys

    /// Keys that earlier versions read, and what replaces each: naming one is a config error that
    /// says so, never an unknown key or a silent change of behaviour.
    static let removedKeys: [ConfigKey: String] = [
        ConfigKey(section: "policy", name: "max_scale_up_step"):
            "scale-ups are limited per minute, not per evaluation: use max_scale_up_per_minute",
        ConfigKey(section: "policy", name: "scale_down_step"):
            "scale-downs are limited per minute, not per evaluation: use max_scale_down_per_minute "
            + "(and max_scale_down_percent_per_minute)",
    ]

    /// The section names, in the order of their first key.
    static let sections: [String] = keys.reduce(into: []) { sections, spec in
        if !sections.contains(spec.key.section) { sections.append(spec.key.section) }
    }

    /// The spec of `key`, if the schema has it.
    static func spec(for key: ConfigKey) -> ConfigKeySpec? {
        keys.first { $0.key == key }
    }
}
