; References in C++. Captures: @name, @object, @reference.

(field_expression
  argument: (identifier) @object
  field: (field_identifier) @name) @reference

(qualified_identifier
  scope: (namespace_identifier) @object
  name: (identifier) @name) @reference

(identifier) @name @reference
(type_identifier) @name @reference
(field_identifier) @name @reference
