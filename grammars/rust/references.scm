; References in Rust. Captures: @name, @object, @reference.

(field_expression
  value: (identifier) @object
  field: (field_identifier) @name) @reference

(scoped_identifier
  path: (identifier) @object
  name: (identifier) @name) @reference

(scoped_type_identifier
  path: (identifier) @object
  name: (type_identifier) @name) @reference

(identifier) @name @reference
(type_identifier) @name @reference
