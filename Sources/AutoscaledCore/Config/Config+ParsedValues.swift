// Where parsed values become a `Config`: each section reads the typed values of its keys, which
// every key has (its own or its default) once the parser found no fault.

extension Config {
    /// Builds a config from values that passed every check.
    /// - Throws: ``ParsedValues/Missing`` if a key has no value (only when checks were skipped).
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        self.init(
            source: try SourceConfig(values: values),
            policy: try PolicyConfig(values: values),
            state: try StateConfig(values: values),
            history: try HistoryConfig(values: values),
            log: try LogConfig(values: values),
            metrics: try MetricsConfig(values: values),
            actuator: try ActuatorConfig(values: values)
        )
    }
}

extension SourceConfig {
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        let staleAfter = try values.duration(.staleAfter)
        self.init(
            kind: try Self.kind(values),
            format: try Self.format(values),
            pollInterval: try values.duration(.pollInterval),
            staleAfter: staleAfter == .zero ? nil : staleAfter,
            failureThreshold: try values.integer(.failureThreshold))
    }

    private static func kind(_ values: ParsedValues) throws(ParsedValues.Missing) -> Kind {
        let type = try values.string(.sourceType)
        if type == "file" { return .file(path: try values.string(.sourcePath)) }
        let limits = try SocketLimits(values: values)
        let request = try values.optional(.sourceRequest, values.request)
        switch type {
        case "unix": return .unix(path: try values.string(.sourcePath), request: request, limits: limits)
        case "tcp": return .tcp(address: try values.loopbackAddress(.sourceAddress), request: request, limits: limits)
        case "http": return .http(url: try values.loopbackURL(.sourceURL), limits: limits)
        default: throw ParsedValues.Missing(key: .sourceType)
        }
    }

    private static func format(_ values: ParsedValues) throws(ParsedValues.Missing) -> LoadFormat {
        switch try values.choice(.sourceFormat, LoadFormat.Name.init(rawValue:)) {
        case .json: return .json
        case .lines: return .lines
        case .prometheus:
            return .prometheus(PrometheusSelection(
                metric: try values.string(.metric), serverLabel: try values.optional(.serverLabel, values.string),
                labelMatch: try values.optional(.labelMatch, values.labelMatch) ?? []))
        case .haproxy:
            return .haproxy(HAProxySelection(
                backend: try values.string(.backend), field: .init(name: try values.string(.field))))
        }
    }
}

extension SocketLimits {
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        self.init(
            connectTimeout: try values.duration(.connectTimeout), readTimeout: try values.duration(.readTimeout),
            maxResponseBytes: try values.integer(.maxResponseBytes))
    }
}

extension PolicyConfig {
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        self.init(
            scaleUpThreshold: try values.number(.scaleUpThreshold),
            scaleDownThreshold: try values.number(.scaleDownThreshold),
            targetLoad: try values.number(.targetLoad),
            minReplicas: try values.integer(.minReplicas),
            maxReplicas: try values.integer(.maxReplicas),
            initialReplicas: try values.integer(.initialReplicas),
            maxScaleUpPerMinute: try values.integer(.maxScaleUpPerMinute),
            maxScaleDownPerMinute: try values.integer(.maxScaleDownPerMinute),
            maxScaleDownPercentPerMinute: try values.number(.maxScaleDownPercentPerMinute),
            scaleUpCooldown: try values.duration(.scaleUpCooldown),
            scaleDownStabilization: try values.duration(.scaleDownStabilization),
            replicaStartup: try values.duration(.replicaStartup),
            trendWindow: try values.duration(.trendWindow),
            trendMinSpan: try values.duration(.trendMinSpan),
            smoothingWindow: try values.duration(.smoothingWindow),
            burstRatio: try values.number(.burstRatio),
            fallbackReplicas: try values.optional(.fallbackReplicas, values.integer),
            seasonalPeriods: SeasonalPeriods(try values.durations(.seasonalPeriods)),
            seasonalConfirmations: try values.integer(.seasonalConfirmations),
            seasonalMinRise: try values.number(.seasonalMinRise),
            tick: try values.duration(.pollInterval),
            headroom: Headroom(
                mode: try values.choice(.headroom, Headroom.Mode.init(rawValue:)),
                targetLoad: try values.number(.headroomTargetLoad),
                quantile: try values.number(.headroomQuantile),
                window: try values.duration(.headroomWindow),
                scaleDownMargin: try values.number(.headroomScaleDownMargin),
                scaleUpTolerance: try values.number(.headroomScaleUpTolerance),
                squareRootRoom: try values.number(.headroomSquareRootRoom),
                spread: try values.choice(.headroomSpread, Headroom.Spread.init(rawValue:)),
                scaleDownMarginUnmeasured: try values.number(.headroomScaleDownMarginUnmeasured)),
            scaleDownStabilizationRule: try values.choice(.scaleDownStabilizationRule, PolicyConfig.StabilizationRule.init(rawValue:)),
            scaleToZeroAfter: try values.optional(.scaleToZeroAfter, values.duration)
        )
    }
}

extension StateConfig {
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        self.init(path: try values.string(.statePath), pathLine: values.line(of: .statePath))
    }
}

extension HistoryConfig {
    /// `path` defaults to the directory `history` beside the state file.
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        let statePath = try values.string(.statePath)
        self.init(
            enabled: try values.boolean(.historyEnabled),
            path: try values.optional(.historyPath, values.string) ?? HistoryConfig.defaultPath(statePath: statePath),
            retention: try values.duration(.historyRetention),
            maxSize: try values.byteSize(.historyMaxSize)
        )
    }
}

extension LogConfig {
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        self.init(
            level: try values.choice(.logLevel, LogLevel.init(name:)),
            format: try values.choice(.logFormat, LogFormat.init(rawValue:)))
    }
}

extension MetricsConfig {
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        self.init(
            textfile: try values.optional(.metricsTextfile, values.string),
            maxSeries: try values.integer(.metricsMaxSeries))
    }
}

extension ActuatorConfig {
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        let kind: Kind
        switch try values.string(.actuatorType) {
        case "none": kind = .none
        case "exec": kind = .exec(command: try values.command(.command))
        case "systemd": kind = .systemd(unit: try values.unitName(.unit))
        case "file": kind = .file(path: try values.string(.actuatorPath))
        default: throw ParsedValues.Missing(key: .actuatorType)
        }
        let reconcile = try values.duration(.reconcileInterval)
        self.init(
            kind: kind, dryRun: try values.boolean(.dryRun), timeout: try values.duration(.timeout),
            reconcileInterval: reconcile == .zero ? nil : reconcile)
    }
}
