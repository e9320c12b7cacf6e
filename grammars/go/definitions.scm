; Definitions in Go. Captures: see grammars/README.md. A method's receiver type is its @container.

(function_declaration
  name: (identifier) @name
  parameters: (parameter_list) @parameters
  result: (_)? @return_type
  body: (block) @body) @definition.function

(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [
        (type_identifier) @container
        (pointer_type (type_identifier) @container)
        (generic_type type: (type_identifier) @container)
        (pointer_type (generic_type type: (type_identifier) @container))
      ]))
  name: (field_identifier) @name
  parameters: (parameter_list) @parameters
  result: (_)? @return_type
  body: (block) @body) @definition.method

(type_spec
  name: (type_identifier) @name
  type: (struct_type (field_declaration_list) @body)) @definition.struct

(type_spec
  name: (type_identifier) @name
  type: (interface_type) @body) @definition.interface

(type_spec
  name: (type_identifier) @name
  type: [(type_identifier) (qualified_type) (map_type) (slice_type) (array_type) (function_type) (pointer_type) (channel_type) (generic_type)]) @definition.type

(type_alias
  name: (type_identifier) @name) @definition.type

(interface_type
  (method_elem
    name: (field_identifier) @name
    parameters: (parameter_list) @parameters
    result: (_)? @return_type) @definition.method)

(struct_type
  (field_declaration_list
    (field_declaration
      name: (field_identifier) @name) @definition.field))

(source_file
  (const_declaration
    (const_spec name: (identifier) @name) @definition.constant))

(source_file
  (var_declaration
    (var_spec name: (identifier) @name) @definition.variable))

; Wrappers: the doc comment above `type X struct` sits above the type declaration.
(type_declaration (type_spec) @wrapped) @wrapper
(const_declaration (const_spec) @wrapped) @wrapper
(var_declaration (var_spec) @wrapped) @wrapper
