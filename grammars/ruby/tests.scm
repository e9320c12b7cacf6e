; RSpec / minitest-spec blocks and minitest test methods. Captures: @test, @name.

((call
  method: (identifier) @_m
  arguments: (argument_list . [(string) (constant) (scope_resolution)] @name)
  block: [(do_block) (block)]) @test
  (#any-of? @_m "describe" "context" "it" "specify" "test" "feature" "scenario"))

((method
  name: (identifier) @name) @test
  (#match? @name "^test_"))
