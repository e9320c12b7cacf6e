; Definitions in JavaScript (and JSX). Captures: see grammars/README.md.

(function_declaration
  name: (identifier) @name
  parameters: (formal_parameters) @parameters
  body: (statement_block) @body) @definition.function

(generator_function_declaration
  name: (identifier) @name
  parameters: (formal_parameters) @parameters
  body: (statement_block) @body) @definition.function

(lexical_declaration
  (variable_declarator
    name: (identifier) @name
    value: [
      (arrow_function parameters: (formal_parameters) @parameters body: (statement_block) @body)
      (arrow_function parameter: (identifier) @parameters body: (statement_block) @body)
      (function_expression parameters: (formal_parameters) @parameters body: (statement_block) @body)
    ])) @definition.function

(variable_declaration
  (variable_declarator
    name: (identifier) @name
    value: [
      (arrow_function parameters: (formal_parameters) @parameters body: (statement_block) @body)
      (arrow_function parameter: (identifier) @parameters body: (statement_block) @body)
      (function_expression parameters: (formal_parameters) @parameters body: (statement_block) @body)
    ])) @definition.function

; CommonJS: `exports.f = function () {}` and `module.exports.f = () => {}`.
(expression_statement
  (assignment_expression
    left: (member_expression property: (property_identifier) @name)
    right: [
      (arrow_function parameters: (formal_parameters) @parameters body: (statement_block) @body)
      (function_expression parameters: (formal_parameters) @parameters body: (statement_block) @body)
    ])) @definition.function

(method_definition
  name: (_) @name
  parameters: (formal_parameters) @parameters
  body: (statement_block) @body) @definition.method

(class_declaration
  name: (identifier) @name
  body: (class_body) @body) @definition.class

(field_definition
  property: (_) @name) @definition.field

; Top-level constants and variables (a function value is reported as a function above).
; `var` too: older code and libraries still export predicates and tables with it.
(program
  [
    (lexical_declaration (variable_declarator name: (identifier) @name))
    (variable_declaration (variable_declarator name: (identifier) @name))
  ] @definition.variable)

(program
  (export_statement
    declaration: [
      (lexical_declaration (variable_declarator name: (identifier) @name))
      (variable_declaration (variable_declarator name: (identifier) @name))
    ] @definition.variable))

; Wrappers: the doc comment of an exported definition sits above `export`.
(export_statement declaration: (_) @wrapped) @wrapper
