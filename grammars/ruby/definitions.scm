; Definitions in Ruby. Captures: see grammars/README.md. A method without statements has no body
; node in this grammar: its body is then the closing `end` alone (an empty body, so a stub).

(method
  name: (_) @name
  parameters: (method_parameters)? @parameters
  body: (body_statement) @body) @definition.method

(method
  name: (_) @name
  parameters: (method_parameters)? @parameters
  !body
  "end" @body) @definition.method

(singleton_method
  name: (_) @name
  parameters: (method_parameters)? @parameters
  body: (body_statement) @body) @definition.method

(singleton_method
  name: (_) @name
  parameters: (method_parameters)? @parameters
  !body
  "end" @body) @definition.method

(class
  name: (_) @name
  body: (body_statement)? @body) @definition.class

(module
  name: (_) @name
  body: (body_statement)? @body) @definition.module

(program
  (assignment
    left: (constant) @name) @definition.constant)
