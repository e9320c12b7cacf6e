; Test cases: mocha / jest / vitest / node:test style calls. Captures: @test (the call), @name.

(call_expression
  function: [
    (identifier) @_fn
    (member_expression object: (identifier) @_fn)
  ]
  arguments: (arguments . [(string) (template_string)] @name)
  (#any-of? @_fn "it" "test" "describe" "suite" "specify" "context" "bench")) @test
