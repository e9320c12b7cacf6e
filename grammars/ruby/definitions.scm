; Definitions in Ruby. Captures: see grammars/README.md. A method without statements has no body
; node in this grammar, so an empty `def x; end` is reported without a body (never a stub).

(method
  name: (_) @name
  parameters: (method_parameters)? @parameters
  body: (body_statement)? @body) @definition.method

(singleton_method
  name: (_) @name
  parameters: (method_parameters)? @parameters
  body: (body_statement)? @body) @definition.method

(class
  name: (_) @name
  body: (body_statement)? @body) @definition.class

(module
  name: (_) @name
  body: (body_statement)? @body) @definition.module

(program
  (assignment
    left: (constant) @name) @definition.constant)
