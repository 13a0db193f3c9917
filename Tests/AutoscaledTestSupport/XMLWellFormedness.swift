/// A minimal XML well-formedness check for the pictures the tests read (Foundation's XMLParser
/// needs FoundationXML, which the package does not link): every tag closed in order, attributes
/// quoted and unique, entities known, no control characters, one root element.
public enum XMLWellFormedness {
    /// One element as read: its name, attributes and the text directly inside it.
    public struct Element: Sendable {
        public var name: String
        public var attributes: [String: String]
    }

    /// Every element in document order, or the first fault.
    public static func elements(_ text: String) -> Result<[Element], XMLFault> {
        var elements: [Element] = []
        var open: [String] = []
        var roots = 0
        var rest = Substring(text)
        if rest.hasPrefix("<?xml") {
            guard let end = rest.firstRange(of: "?>") else { return .failure(XMLFault("unterminated XML declaration")) }
            rest = rest[end.upperBound...]
        }
        while let lt = rest.firstIndex(of: "<") {
            if let fault = checkText(rest[..<lt]) { return .failure(fault) }
            guard let gt = rest[lt...].firstIndex(of: ">") else { return .failure(XMLFault("unterminated tag")) }
            var tag = rest[rest.index(after: lt)..<gt]
            rest = rest[rest.index(after: gt)...]
            if tag.hasPrefix("/") {
                let name = String(tag.dropFirst())
                guard open.popLast() == name else { return .failure(XMLFault("</\(name)> does not close the open element")) }
                continue
            }
            let selfClosing = tag.hasSuffix("/")
            if selfClosing { tag = tag.dropLast() }
            guard let element = parseTag(tag) else { return .failure(XMLFault("malformed tag <\(tag)>")) }
            if open.isEmpty {
                roots += 1
                guard roots == 1 else { return .failure(XMLFault("a second root element <\(element.name)>")) }
            }
            elements.append(element)
            if !selfClosing { open.append(element.name) }
        }
        if let fault = checkText(rest) { return .failure(fault) }
        guard open.isEmpty else { return .failure(XMLFault("<\(open.last!)> is never closed")) }
        guard roots == 1 else { return .failure(XMLFault("no root element")) }
        return .success(elements)
    }

    private static func parseTag(_ tag: Substring) -> Element? {
        var rest = tag
        let name = rest.prefix { !$0.isWhitespace }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_:.".contains($0) }) else { return nil }
        rest = rest.dropFirst(name.count)
        var attributes: [String: String] = [:]
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.isEmpty { break }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let key = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote) else { return nil }
            let value = rest[..<close]
            guard !value.contains("<"), checkText(value) == nil, attributes[key] == nil,
                  key.allSatisfy({ $0.isLetter || $0.isNumber || "-_:".contains($0) }) else { return nil }
            attributes[key] = String(value)
            rest = rest[rest.index(after: close)...]
        }
        return Element(name: String(name), attributes: attributes)
    }

    /// Character data: entities known and terminated, no `>`-less control characters.
    private static func checkText(_ text: Substring) -> XMLFault? {
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { return XMLFault("unterminated entity") }
            let entity = rest[rest.index(after: amp)..<semicolon]
            guard ["amp", "lt", "gt", "quot", "apos"].contains(entity) || entity.hasPrefix("#") else {
                return XMLFault("unknown entity &\(entity);")
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
            return XMLFault("a control character")
        }
        return nil
    }
}

public struct XMLFault: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
