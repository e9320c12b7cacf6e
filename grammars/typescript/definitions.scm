; Definitions in TypeScript. Capture names (read by server/syntax/definitions.ts):
;   @definition.<kind>  the whole definition node; <kind> is a DefinitionKind
;   @name @parameters @return_type @body  its parts (all optional except @name)
;   @scope              a node that names a container without being a definition itself

(function_declaration
  name: (identifier) @name
  parameters: (formal_parameters) @parameters
  return_type: (type_annotation)? @return_type
  body: (statement_block) @body) @definition.function

(generator_function_declaration
  name: (identifier) @name
  parameters: (formal_parameters) @parameters
  return_type: (type_annotation)? @return_type
  body: (statement_block) @body) @definition.function

; Overload signatures, `declare function` and .d.ts functions: definitions without a body.
(function_signature
  name: (identifier) @name
  parameters: (formal_parameters) @parameters
  return_type: (type_annotation)? @return_type) @definition.function

(lexical_declaration
  (variable_declarator
    name: (identifier) @name
    value: [
      (arrow_function
        parameters: (formal_parameters) @parameters
        return_type: (type_annotation)? @return_type
        body: (statement_block) @body)
      (function_expression
        parameters: (formal_parameters) @parameters
        return_type: (type_annotation)? @return_type
        body: (statement_block) @body)
    ])) @definition.function

(variable_declaration
  (variable_declarator
    name: (identifier) @name
    value: [
      (arrow_function
        parameters: (formal_parameters) @parameters
        return_type: (type_annotation)? @return_type
        body: (statement_block) @body)
      (function_expression
        parameters: (formal_parameters) @parameters
        return_type: (type_annotation)? @return_type
        body: (statement_block) @body)
    ])) @definition.function

(method_definition
  name: (_) @name
  parameters: (formal_parameters) @parameters
  return_type: (type_annotation)? @return_type
  body: (statement_block) @body) @definition.method

(method_signature
  name: (_) @name
  parameters: (formal_parameters) @parameters
  return_type: (type_annotation)? @return_type) @definition.method

(abstract_method_signature
  name: (_) @name
  parameters: (formal_parameters) @parameters
  return_type: (type_annotation)? @return_type) @definition.method

(class_declaration
  name: (type_identifier) @name
  body: (class_body) @body) @definition.class

(abstract_class_declaration
  name: (type_identifier) @name
  body: (class_body) @body) @definition.class

(interface_declaration
  name: (type_identifier) @name
  body: (interface_body) @body) @definition.interface

(type_alias_declaration
  name: (type_identifier) @name) @definition.type

(enum_declaration
  name: (identifier) @name
  body: (enum_body) @body) @definition.enum

(internal_module
  name: (_) @name
  body: (statement_block) @body) @definition.module

(module
  name: (_) @name
  body: (statement_block) @body) @definition.module

(public_field_definition
  name: (_) @name) @definition.field

(interface_body
  (property_signature
    name: (_) @name) @definition.field)

; Top-level constants and variables; a declarator whose value is a function is reported as a
; function by the patterns above (the loader keeps the more specific kind for the same node).
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

; Wrappers: the doc comment of a wrapped definition sits above the wrapper (`export`, `declare`).
(export_statement declaration: (_) @wrapped) @wrapper
(ambient_declaration (_) @wrapped) @wrapper
