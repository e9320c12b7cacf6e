; References in Go. Captures: @name, @object, @reference.

(selector_expression
  operand: (identifier) @object
  field: (field_identifier) @name) @reference

(qualified_type
  package: (package_identifier) @object
  name: (type_identifier) @name) @reference

(identifier) @name @reference
(type_identifier) @name @reference
