import JSON
import Testing

@Suite struct JSONCodecTests {
    @Test func roundTripKeepsMemberOrderAndTypes() throws {
        let text = #"{"zeta": 1, "alpha": [true, false, null], "mid": {"b": 2.5, "a": "ünï"}, "big": 9007199254740993}"#
        let value = try JSONCodec.parse(text, source: "test")
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid", "big"])
        #expect(value["mid"]?.objectValue?.keys == ["b", "a"])
        #expect(value["mid"]?["b"] == .number(2.5))
        #expect(value["mid"]?["a"]?.stringValue == "ünï")
        #expect(value["big"] == .integer(9_007_199_254_740_993))
        #expect(value["alpha"] == [true, false, nil])
        let again = try JSONCodec.parse(JSONCodec.serialize(value), source: "again")
        #expect(again == value)
    }

    @Test func serializeIndentsByTwoAndEndsWithNewline() {
        let value: JSONValue = .object(["b": 1, "a": ["x"]])
        #expect(JSONCodec.serialize(value) == "{\n  \"b\": 1,\n  \"a\": [\n    \"x\"\n  ]\n}\n")
        #expect(JSONCodec.serialize(value, compact: true) == #"{"b":1,"a":["x"]}"#)
    }

    @Test func syntaxErrorsNameSourceLineAndColumn() {
        let text = "{\n  \"a\": 1\n  \"b\": 2\n}\n"
        #expect(throws: JSONError.self) { try JSONCodec.parse(text, source: "file.json") }
        do {
            _ = try JSONCodec.parse(text, source: "file.json")
        } catch {
            #expect(error.source == "file.json")
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("file.json:3:"))
        }
    }

    @Test func duplicateKeysAreRejected() {
        #expect(throws: JSONError.self) { try JSONCodec.parse(#"{"a": 1, "a": 2}"#, source: "dup") }
    }

    @Test func scalarsAtTheTopLevelParse() throws {
        #expect(try JSONCodec.parse("\"x\"", source: "s") == "x")
        #expect(try JSONCodec.parse("[]", source: "s") == [])
    }

    @Test func sourceMapFindsTheLineOfAKey() {
        let map = JSONSourceMap(text: "{\n  \"mode\": \"nat\",\n  \"note\": \"mode: x\",\n  \"pools\" : []\n}")
        #expect(map.line(ofKey: "mode") == 2)
        #expect(map.line(ofKey: "pools") == 4)
        #expect(map.line(ofKey: "missing") == nil)
    }

    @Test func objectSubscriptSetsReplacesAndRemoves() {
        var object = JSONObject()
        object["a"] = 1
        object["b"] = 2
        object["a"] = 3
        object["b"] = nil
        #expect(object == ["a": 3])
    }
}
