; Definitions in Python. Captures: see grammars/README.md. A function directly inside a class
; becomes a method (the loader looks at the enclosing definition). @doc captures a docstring.

(function_definition
  name: (identifier) @name
  parameters: (parameters) @parameters
  return_type: (_)? @return_type
  body: (block . (expression_statement (string) @doc)?) @body) @definition.function

(class_definition
  name: (identifier) @name
  body: (block . (expression_statement (string) @doc)?) @body) @definition.class

(module
  (expression_statement
    (assignment left: (identifier) @name)) @definition.variable)

(class_definition
  body: (block
    (expression_statement
      (assignment left: (identifier) @name)) @definition.field))

; Wrappers: a decorated definition's span starts at its first decorator.
(decorated_definition definition: (_) @wrapped) @wrapper
