import Testing
@testable import AutoscaledCore

struct ConfigSchemaTests {
    @Test("every default and example is a valid value of its key",
          arguments: ConfigSchema.keys.map { "\($0.key.section).\($0.key.name)" })
    func defaultsAreValid(_ name: String) throws {
        let spec = try #require(ConfigSchema.keys.first { "\($0.key.section).\($0.key.name)" == name })
        for text in [spec.defaultText, spec.example].compactMap(\.self) where text != ConfigKeySpec.unset {
            #expect(throws: Never.self) { try spec.type.parse(text, example: spec.example, directory: "/") }
        }
    }

    @Test("the schema's defaults are the defaults of the config types")
    func defaultsMatchTypes() throws {
        let config = try ConfigParsing.parse("[source]\npath = /x").get()
        #expect(config.policy == PolicyConfig())
        #expect(config.state == StateConfig())
        #expect(config.log == LogConfig())
        #expect(config.metrics == MetricsConfig())
        #expect(config.actuator == ActuatorConfig())
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
