; JUnit / TestNG test methods. Captures: @test, @name.

(method_declaration
  (modifiers
    [
      (marker_annotation name: (identifier) @_a)
      (annotation name: (identifier) @_a)
    ])
  name: (identifier) @name
  (#any-of? @_a "Test" "ParameterizedTest" "RepeatedTest" "TestFactory" "TestTemplate" "Property")) @test
