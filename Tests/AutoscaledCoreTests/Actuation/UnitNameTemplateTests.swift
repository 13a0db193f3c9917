@testable import AutoscaledCore
import Testing

struct UnitNameTemplateTests {
    @Test("{i} becomes the instance number")
    func names() throws {
        let template = try UnitNameTemplate("llama-server@{i}.service")
        #expect(template.name(3) == "llama-server@3.service")
        #expect(try UnitNameTemplate("model-{i}-gpu.service").name(12) == "model-12-gpu.service")
        #expect(try UnitNameTemplate("llama.v2@{i}.socket").name(1) == "llama.v2@1.socket")
    }

    @Test("a template that could not name a unit, or could read as an option, is refused", arguments: [
        ("llama-server.service", "has no {i} for the instance number"),
        ("-{i}.service", "starts with '-'"),
        ("llama server@{i}.service", "has characters a unit name cannot have"),
        ("../llama@{i}.service", "has characters a unit name cannot have"),
        ("llama@{i}.service;reboot", "has characters a unit name cannot have"),
        ("llama@{n}{i}.service", "has characters a unit name cannot have"),
        ("@{i}.service", "has no unit name before '@'"),
        ("llama@{i}", "does not end in a unit type such as .service"),
        ("llama@{i}.gpu", "does not end in a unit type such as .service"),
        ("llama@{i}.service.", "does not end in a unit type such as .service"),
        ("llama.{i}", "does not end in a unit type such as .service"),
    ])
    func refused(_ text: String, _ problem: String) {
        #expect(throws: UnitNameTemplate.Fault(problem: problem)) { try UnitNameTemplate(text) }
    }
}
