; Definitions in C. Captures: see grammars/README.md. The function declarator may sit inside
; pointer declarators (`char *name(...)`).

(function_definition
  type: (_) @return_type
  declarator: [
    (function_declarator declarator: (identifier) @name parameters: (parameter_list) @parameters)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name parameters: (parameter_list) @parameters))
    (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name parameters: (parameter_list) @parameters)))
  ]
  body: (compound_statement) @body) @definition.function

; Prototypes (headers): definitions without a body.
(translation_unit
  (declaration
    type: (_) @return_type
    declarator: [
      (function_declarator declarator: (identifier) @name parameters: (parameter_list) @parameters)
      (pointer_declarator declarator: (function_declarator declarator: (identifier) @name parameters: (parameter_list) @parameters))
    ]) @definition.function)

(struct_specifier
  name: (type_identifier) @name
  body: (field_declaration_list) @body) @definition.struct

(union_specifier
  name: (type_identifier) @name
  body: (field_declaration_list) @body) @definition.struct

(enum_specifier
  name: (type_identifier) @name
  body: (enumerator_list) @body) @definition.enum

(type_definition
  declarator: (type_identifier) @name) @definition.type

(field_declaration_list
  (field_declaration
    declarator: [
      (field_identifier) @name
      (pointer_declarator declarator: (field_identifier) @name)
      (array_declarator declarator: (field_identifier) @name)
    ]) @definition.field)

(preproc_def
  name: (identifier) @name) @definition.constant

(preproc_function_def
  name: (identifier) @name
  parameters: (preproc_params) @parameters) @definition.function
