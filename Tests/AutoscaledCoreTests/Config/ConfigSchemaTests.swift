@testable import AutoscaledCore
import Testing

struct ConfigSchemaTests {
    @Test("every default and example is a valid value of its key",
          arguments: ConfigSchema.keys.map { "\($0.key.section).\($0.key.name)" })
    func defaultsAreValid(_ name: String) throws {
        let spec = try #require(ConfigSchema.keys.first { "\($0.key.section).\($0.key.name)" == name })
        for text in [spec.defaultText, spec.example].compactMap(\.self) where text != ConfigKeySpec.unset {
            #expect(throws: Never.self) { try spec.type.parse(text, example: spec.example, directory: "/") }
        }
    }

    @Test("the defaults of the config types are what a file that names only the source's path gives")
    func defaultsMatchTypes() throws {
        let config = try ConfigParsing.parse("[source]\npath = /x").get()
        #expect(config == Config.defaults(sourcePath: "/x"))
        #expect(config.policy == PolicyConfig.defaults)
        #expect(config.state == StateConfig.defaults)
        #expect(config.history == HistoryConfig.defaults)
        #expect(config.log == LogConfig.defaults)
        #expect(config.metrics == MetricsConfig.defaults)
        #expect(config.actuator == ActuatorConfig.defaults)
        let socket = try ConfigParsing.parse("[source]\ntype = tcp\naddress = 127.0.0.1:9100").get()
        #expect(socket.source.kind.limits == SocketLimits.defaults)
    }

    @Test("every key with a default has it in the defaults, whatever type of source or actuator it belongs to")
    func defaultValues() {
        for spec in ConfigSchema.keys {
            let value = ConfigSchema.defaultValues.value(spec.key)
            #expect((value == nil) == spec.isRequired || spec.defaultText == ConfigKeySpec.unset, "\(spec.key.name)")
            if spec.defaultFrom == nil { #expect(value == spec.defaultValue, "\(spec.key.name)") }
        }
        #expect(ConfigSchema.defaultValues.value(.targetLoad) == ConfigSchema.defaultValues.value(.scaleUpThreshold))
        #expect(ConfigSchema.defaultValues.value(.connectTimeout) == .duration(.seconds(1)))
    }

    @Test("no key appears twice and a condition's key comes before the key it governs")
    func tableIsWellFormed() {
        let keys = ConfigSchema.keys.map(\.key)
        #expect(Set(keys).count == keys.count)
        for (index, spec) in ConfigSchema.keys.enumerated() {
            guard let condition = spec.condition else { continue }
            #expect(keys.firstIndex(of: condition.key).map { $0 < index } == true)
            #expect(condition.key.section == spec.key.section)
        }
    }

    @Test("sections are listed in the order of their first key")
    func sections() {
        #expect(ConfigSchema.sections == ["source", "policy", "state", "history", "log", "metrics", "actuator"])
    }
}
