; GoogleTest / Catch2 tests. Captures: @test, @name.

((function_definition
  declarator: (function_declarator
    declarator: (identifier) @_macro
    parameters: (parameter_list (_) . (_) @name))) @test
  (#any-of? @_macro "TEST" "TEST_F" "TEST_P" "TYPED_TEST" "TYPED_TEST_P"))

((function_definition
  declarator: (function_declarator
    declarator: (identifier) @_macro
    parameters: (parameter_list . (_) @name))) @test
  (#any-of? @_macro "TEST_CASE" "SCENARIO"))
