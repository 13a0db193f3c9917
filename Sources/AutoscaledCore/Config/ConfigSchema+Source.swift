extension ConfigSchema {
    /// The source types that talk over a socket, and so take timeouts and a size cap.
    static let socketTypes = ["unix", "tcp", "http"]

    /// The `[source]` rows: where loads come from, how they are read, and in what format.
    static let sourceKeys: [ConfigKeySpec] = [
        ConfigKeySpec(.sourceType, .choice(["file", "unix", "tcp", "http"]), default: "file") {
            .string($0.source.kind.typeName)
        },
        ConfigKeySpec(.sourcePath, .path, default: nil, example: "/run/autoscaled/loads.json",
                      when: (.sourceType, ["file", "unix"])) { config in
            switch config.source.kind {
            case let .file(path), let .unix(path, _, _): .string(path)
            case .tcp, .http: nil
            }
        },
        ConfigKeySpec(.sourceAddress, .loopbackAddress, default: nil, example: "127.0.0.1:9100",
                      when: (.sourceType, ["tcp"])) { config in
            guard case let .tcp(address, _, _) = config.source.kind else { return nil }
            return .loopbackAddress(address)
        },
        ConfigKeySpec(.sourceURL, .loopbackURL, default: nil, example: "http://127.0.0.1:8000/metrics",
                      when: (.sourceType, ["http"])) { config in
            guard case let .http(url, _) = config.source.kind else { return nil }
            return .loopbackURL(url)
        },
        ConfigKeySpec(.sourceRequest, .escapedText, default: ConfigKeySpec.unset, example: "show stat\\n",
                      when: (.sourceType, ["unix", "tcp"])) { config in
            config.source.kind.request.map(TypedValue.request)
        },
        ConfigKeySpec(.connectTimeout, .duration(allowsZero: false), default: "1s", when: (.sourceType, socketTypes)) {
            $0.source.kind.limits.map { .duration($0.connectTimeout) }
        },
        ConfigKeySpec(.readTimeout, .duration(allowsZero: false), default: "2s", when: (.sourceType, socketTypes)) {
            $0.source.kind.limits.map { .duration($0.readTimeout) }
        },
        ConfigKeySpec(.maxResponseBytes, .integer(min: 1, max: 1 << 30), default: "16777216",
                      when: (.sourceType, socketTypes)) {
            $0.source.kind.limits.map { .integer($0.maxResponseBytes) }
        },
        ConfigKeySpec(.sourceFormat, .choice(LoadFormat.Name.allCases.map(\.rawValue)), default: "json") {
            .string($0.source.format.name.rawValue)
        },
        ConfigKeySpec(.metric, .metricName, default: nil, example: "vllm:num_requests_waiting",
                      when: (.sourceFormat, ["prometheus"])) { config in
            guard case let .prometheus(selection) = config.source.format else { return nil }
            return .string(selection.metric)
        },
        ConfigKeySpec(.serverLabel, .identifier, default: ConfigKeySpec.unset, example: "instance",
                      when: (.sourceFormat, ["prometheus"])) { config in
            guard case let .prometheus(selection) = config.source.format else { return nil }
            return selection.serverLabel.map(TypedValue.string)
        },
        ConfigKeySpec(.labelMatch, .labelMatch, default: ConfigKeySpec.unset, example: "model_name=llama",
                      when: (.sourceFormat, ["prometheus"])) { config in
            guard case let .prometheus(selection) = config.source.format, !selection.labelMatch.isEmpty else { return nil }
            return .labelMatch(selection.labelMatch)
        },
        ConfigKeySpec(.backend, .string, default: nil, example: "inference", when: (.sourceFormat, ["haproxy"])) { config in
            guard case let .haproxy(selection) = config.source.format else { return nil }
            return .string(selection.backend)
        },
        ConfigKeySpec(.field, .choice(HAProxySelection.Field.names), default: "scur", when: (.sourceFormat, ["haproxy"])) { config in
            guard case let .haproxy(selection) = config.source.format else { return nil }
            return .string(selection.field.name)
        },
        ConfigKeySpec(.pollInterval, .duration(allowsZero: false, minimum: SourceConfig.minimumPollInterval), default: "10s") {
            .duration($0.source.pollInterval)
        },
        ConfigKeySpec(.staleAfter, .duration(allowsZero: true), default: "0", example: "1min",
                      when: (.sourceType, ["file"])) { config in
            guard case .file = config.source.kind else { return nil }
            return .duration(config.source.staleAfter ?? .zero)
        },
        ConfigKeySpec(.failureThreshold, .integer(min: 1, max: ConfigSchema.maxCount), default: "3") { .integer($0.source.failureThreshold) },
    ]
}
