; shunit2 / bash_unit style test functions. Captures: @test, @name.

((function_definition
  name: (word) @name) @test
  (#match? @name "^test"))
