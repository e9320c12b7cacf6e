; Stub detection in this language is data, not a query: see "stubs" in conventions.json.
; A function or method whose body (from definitions.scm) holds only statements matching one of
; the "statements" patterns, only comments matching "todoComment", or nothing at all, is a stub.
; Definitions without a body (abstract methods, interface members, overload signatures, .d.ts
; declarations) are never stubs.
