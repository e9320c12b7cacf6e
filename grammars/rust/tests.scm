; Rust tests: a function right after a #[test] (or #[tokio::test], #[rstest]…) attribute.
; Captures: @test, @name.

((attribute_item) @_attr
  .
  (function_item name: (identifier) @name) @test
  (#match? @_attr "^#\\[([a-z_]+::)*(test|rstest|quickcheck)\\b"))

((attribute_item) @_attr
  .
  (attribute_item)
  .
  (function_item name: (identifier) @name) @test
  (#match? @_attr "^#\\[([a-z_]+::)*(test|rstest|quickcheck)\\b"))
