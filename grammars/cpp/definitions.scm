; Definitions in C++. Captures: see grammars/README.md. `void Widget::draw()` defined outside its
; class names Widget as @container.

(function_definition
  type: (_)? @return_type
  declarator: [
    (function_declarator declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name parameters: (parameter_list) @parameters)
    (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier)] @name parameters: (parameter_list) @parameters))
    (reference_declarator (function_declarator declarator: [(identifier) (field_identifier)] @name parameters: (parameter_list) @parameters))
  ]
  body: (compound_statement) @body) @definition.function

(function_definition
  type: (_)? @return_type
  declarator: [
    (function_declarator declarator: (qualified_identifier scope: (_) @container name: (_) @name) parameters: (parameter_list) @parameters)
    (pointer_declarator declarator: (function_declarator declarator: (qualified_identifier scope: (_) @container name: (_) @name) parameters: (parameter_list) @parameters))
    (reference_declarator (function_declarator declarator: (qualified_identifier scope: (_) @container name: (_) @name) parameters: (parameter_list) @parameters))
  ]
  body: (compound_statement) @body) @definition.method

; Declarations without a body: prototypes and member functions declared in a class.
(declaration
  type: (_)? @return_type
  declarator: [
    (function_declarator declarator: [(identifier) (field_identifier) (destructor_name)] @name parameters: (parameter_list) @parameters)
    (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier)] @name parameters: (parameter_list) @parameters))
  ]) @definition.function

(field_declaration
  type: (_)? @return_type
  declarator: [
    (function_declarator declarator: [(identifier) (field_identifier)] @name parameters: (parameter_list) @parameters)
    (pointer_declarator declarator: (function_declarator declarator: [(identifier) (field_identifier)] @name parameters: (parameter_list) @parameters))
  ]) @definition.function

(class_specifier
  name: (_) @name
  body: (field_declaration_list) @body) @definition.class

(struct_specifier
  name: (_) @name
  body: (field_declaration_list) @body) @definition.struct

(union_specifier
  name: (_) @name
  body: (field_declaration_list) @body) @definition.struct

(enum_specifier
  name: (_) @name
  body: (enumerator_list) @body) @definition.enum

(namespace_definition
  name: (_) @name
  body: (declaration_list) @body) @definition.module

(type_definition
  declarator: (type_identifier) @name) @definition.type

(alias_declaration
  name: (type_identifier) @name) @definition.type

(concept_definition
  name: (identifier) @name) @definition.type

(field_declaration_list
  (field_declaration
    declarator: [
      (field_identifier) @name
      (pointer_declarator declarator: (field_identifier) @name)
      (array_declarator declarator: (field_identifier) @name)
    ]) @definition.field)

(preproc_def
  name: (identifier) @name) @definition.constant

; Wrappers: the doc comment of a template sits above `template <…>`.
(template_declaration (_) @wrapped) @wrapper
