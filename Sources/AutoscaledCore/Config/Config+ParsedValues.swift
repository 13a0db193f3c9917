extension Config {
    /// Builds a config from values that passed every check.
    /// - Throws: ``ParsedValues/Missing`` if a key has no value (only when checks were skipped).
    init(values: ParsedValues) throws(ParsedValues.Missing) {
        let statePath = try values.string(.statePath)
        self.init(
            source: try SourceConfig(values: values),
            policy: PolicyConfig(
                scaleUpThreshold: try values.number(.scaleUpThreshold),
                scaleDownThreshold: try values.number(.scaleDownThreshold),
                targetLoad: try values.number(.targetLoad),
                minReplicas: try values.integer(.minReplicas),
                maxReplicas: try values.integer(.maxReplicas),
                initialReplicas: try values.integer(.initialReplicas),
                maxScaleUpStep: try values.integer(.maxScaleUpStep),
                scaleDownStep: try values.integer(.scaleDownStep),
                scaleUpCooldown: try values.duration(.scaleUpCooldown),
                scaleDownStabilization: try values.duration(.scaleDownStabilization),
                replicaStartup: try values.duration(.replicaStartup),
                trendWindow: try values.duration(.trendWindow),
                smoothingWindow: try values.duration(.smoothingWindow),
                burstRatio: try values.number(.burstRatio),
                fallbackReplicas: try values.optional(.fallbackReplicas, values.integer)
            ),
            state: StateConfig(path: statePath),
            history: HistoryConfig(
                enabled: try values.boolean(.historyEnabled),
                path: try values.optional(.historyPath, values.string) ?? HistoryConfig.defaultPath(statePath: statePath),
                retention: try values.duration(.historyRetention),
                maxSize: try values.byteSize(.historyMaxSize)
            ),
            log: LogConfig(
                level: try values.choice(.logLevel, LogLevel.init(name:)),
                format: try values.choice(.logFormat, LogFormat.init(rawValue:))
            ),
            metrics: MetricsConfig(
                textfile: values.value(.metricsTextfile) == nil ? nil : try values.string(.metricsTextfile),
                maxSeries: try values.integer(.metricsMaxSeries)
            ),
            actuator: try ActuatorConfig(values: values)
        )
    }
}
