; Go tests, benchmarks, fuzz tests and examples. Captures: @test, @name.

((function_declaration
  name: (identifier) @name) @test
  (#match? @name "^(Test|Benchmark|Fuzz|Example)([A-Z_0-9]|$)"))
