; Test functions (pytest / unittest). Captures: @test, @name.

((function_definition
  name: (identifier) @name) @test
  (#match? @name "^test"))
