; C tests: functions named test_* (Unity, cmocka, hand-rolled) and Check's START_TEST(name).
; Captures: @test, @name.

((function_definition
  declarator: (function_declarator declarator: (identifier) @name)) @test
  (#match? @name "^test_?"))
